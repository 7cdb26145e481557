"""Values that Markdown (and Streamlit's extensions of it) would turn into something other than their text."""

HOSTILE = [
    "![x](http://evil.example/p.png)",
    "[Official notice](http://evil.example/notice)",
    "http://1572395042/phish",
    "www.x.com",
    "mail me: someone@evil.example",
    "<http://evil.example/a>",
    "*bold* **strong** _em_ ~~gone~~",
    "$x^2$ and $$\\int x$$",
    "<img src=http://evil.example/h.png> <b>b</b>",
    "&lt;b&gt; &amp; &#36;",
    "`code` and a\\backslash",
    ":red[red text] :material/warning: :smile:",
    "# heading | a | b |",
    "{{ 7*7 }} {% if 1 %}x{% endif %} {#",
]
