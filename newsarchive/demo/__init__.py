"""The bundled demo news site: invented tech-news pages served on 127.0.0.1 for demos, tests and benchmarks.

    from newsarchive.demo.site import DemoSite        # the pages and their known answers
    from newsarchive.demo.server import DemoServer    # serves a DemoSite over HTTP/1.1 on loopback
"""
