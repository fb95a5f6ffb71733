"""Site spiders: one small module per site, each a NewsSpider subclass that declares what differs."""
