"""The demo site's own words: invented companies, people and sentence patterns.

Every name here is made up for the demo. The prose generator (newsarchive.demo.prose) fills the
patterns from these lists with a seeded random generator, so the same site comes out every time.
"""
from __future__ import annotations

SITE_NAME = "Demo Tech News"
PUBLISHER = "Demo Media Group, Inc."

# section slug -> (display name, things the section writes about)
SECTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "gadgets": (
        "Gadgets",
        ("smartwatch", "foldable phone", "e-reader", "pair of noise-cancelling earbuds", "mesh router",
         "action camera", "mechanical keyboard", "handheld console", "smart thermostat", "tablet"),
    ),
    "software": (
        "Software",
        ("database engine", "code editor", "password manager", "build tool", "desktop operating system",
         "browser", "photo app", "open-source compiler", "spreadsheet app", "container runtime"),
    ),
    "science": (
        "Science",
        ("space telescope", "solid-state battery", "gene-editing tool", "weather satellite",
         "quantum processor", "fusion experiment", "ocean sensor network", "lunar lander",
         "carbon-capture plant", "particle detector"),
    ),
    "security": (
        "Security",
        ("hardware security key", "encrypted messenger", "firewall appliance", "VPN service",
         "passkey system", "malware scanner", "bug bounty platform", "zero-trust gateway",
         "secure boot chip", "backup vault"),
    ),
}

COMPANIES = (
    "Northwind Labs", "Quillfeather Systems", "Bluepeak Devices", "Orbitale", "Kestrel Semiconductor",
    "Halvard Software", "Tidewater Robotics", "Cinderpath", "Marlow Instruments", "Juniper Hollow",
    "Vantorra", "Stellwick Research", "Ferrobyte", "Open Lantern Foundation",
)

PLACES = (
    "Lisbon", "Osaka", "Toronto", "Nairobi", "Helsinki", "Austin", "Bangalore", "Melbourne",
    "Valparaíso", "Kraków", "Reykjavík", "São Paulo",
)

ROLES = (
    "chief technology officer", "head of product", "lead engineer", "research director",
    "senior analyst", "spokesperson", "founder", "security researcher", "programme manager",
)

# (full name, handle); the handle is what blog-style bylines show ("Posted by jdoe ...").
AUTHORS: tuple[tuple[str, str], ...] = (
    ("Jane Doe", "jdoe"),
    ("John Smith", "jsmith"),
    ("Ana Lima", "alima"),
    ("Tom Becker", "tbecker"),
    ("Priya Raman", "praman"),
    ("Marcus Olsen", "molsen"),
    ("Lena Fischer", "lfischer"),
    ("Kofi Mensah", "kmensah"),
    ("Yuki Tanaka", "ytanaka"),
    ("Sofia Marquez", "smarquez"),
    ("Daniel O'Brien", "dobrien"),
    ("Mary-Kate Nguyen", "mknguyen"),
)

ADJECTIVES = (
    "cheaper", "faster", "thinner", "long-awaited", "redesigned", "second-generation", "open-source",
    "energy-efficient", "modular", "experimental",
)

FEATURES = (
    "a week of battery life", "on-device translation", "a repairable chassis", "a brighter display",
    "end-to-end encryption", "offline sync", "a new memory architecture", "half the power draw",
    "a simpler setup", "support for older hardware",
)

MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)

TITLE_PATTERNS = (
    "{company} unveils {adjective} {thing} with {feature}",
    "{company} delays its {thing} until {month}",
    "Hands-on with {company}'s {adjective} {thing}",
    "Why the {thing} from {company} matters more than its price",
    "{company} cuts {number} jobs as {thing} sales slow",
    "Inside {company}'s plan to rebuild the {thing}",
    "{company} and {company2} team up on {a_thing}",
    "Regulators in {place} question {company} over its {thing}",
    "The {adjective} {thing} is here, and it is not what {company} promised",
    "{company} opens {a_thing} lab in {place}",
)

SENTENCE_PATTERNS = (
    "{company} said the {thing} would reach customers in {month}, later than the date it gave last year.",
    "The {adjective} design promises {feature}, a claim that testers in {place} have yet to confirm.",
    "Analysts had expected {company} to charge more, and the lower price caught rivals off guard.",
    "\"We built it for people who never read the manual,\" said {person}, {role} at {company}.",
    "According to figures shared with reporters, about {number} thousand units were made in the first run.",
    "The project began as a side effort of {number} engineers working out of a rented office in {place}.",
    "{company2} declined to say whether it would answer with {a_thing} of its own.",
    "Early reviewers praised {feature} but found the software rough around the edges.",
    "Supply problems that slowed the industry in recent years appear to have eased.",
    "The company has not said how much it spent, though filings suggest a sizeable sum.",
    "Competitors are watching closely, because a success here would reset expectations for the category.",
    "A spokesperson for {company2} called the announcement \"interesting, but not a surprise.\"",
    "Independent measurements put the gain at roughly {number} percent, below the figure on the slides.",
    "Much of the work happened in {place}, where {company} has hired aggressively since {year}.",
    "{person}, {role} at {company2}, said customers care less about specifications than about reliability.",
    "The first batch sold out within hours, and a second is promised for {month}.",
    "Critics argue that {feature} matters less than the price, which remains high for most buyers.",
    "The update arrives as a free download for existing owners, which is unusual for {company}.",
    "Documents seen by this publication show the plan was debated internally for more than a year.",
    "Whether the {thing} can win over sceptical buyers will become clear over the coming quarter.",
    "Shares in {company} rose {number} percent in early trading after the news.",
    "The firm first showed a prototype at a trade fair in {place} in {year}.",
    "Retailers say pre-orders have been steady rather than spectacular.",
    "Engineers rewrote most of the firmware after early units overheated in testing.",
    "{company} says repairs will be possible with ordinary tools, a change from earlier models.",
    "Privacy groups have asked for details on what data the {thing} sends home.",
    "The launch is limited to a handful of markets, with a wider release planned for {month}.",
    "Some developers have complained that the documentation lags behind the product.",
    "Pricing starts lower than many expected, although accessories add to the bill.",
    "{company2} had tried a similar approach a few years ago and abandoned it.",
    "Investors will look for signs that the {thing} can make money, not just headlines.",
    "In a briefing, executives avoided questions about the next model.",
    "Battery life, heat and noise were all improved, according to the company's own tests.",
    "Several universities in {place} have signed up to test the {thing} in the field.",
    "The company expects the first independent benchmarks within weeks.",
)

HEADING_PATTERNS = (
    "What changes for buyers", "A long road to launch", "The numbers behind the deal",
    "How it compares", "What the critics say", "The view from {place}", "What comes next",
    "Inside the lab", "A bet on {feature}",
)
