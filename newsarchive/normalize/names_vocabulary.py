"""Word lists that byline parsing relies on: roles, placeholders, agencies, date words.

Everything here is lowercase and accent-folded unless said otherwise; callers compare with
`fold_word`. The lists cover English, German, French, Spanish, Portuguese, Italian, Dutch and
the Scandinavian languages, the languages of the sites the project crawls.
"""
from __future__ import annotations

from newsarchive.normalize.fold import fold_word  # noqa: F401  (re-exported: callers look words up with it)


# Words that start a byline and carry no name ("By", "Von", "Par"...). Lowercase-only ones
# ("di", "da") are also common first names or name parts when capitalised ("Di Wang").
BY_WORDS = frozenset({"by", "von", "par", "por", "door", "av", "af", "od", "przez", "tekst"})
BY_WORDS_LOWERCASE_ONLY = frozenset({"di", "da", "de"})

# Verbs/nouns that may precede a by-word: "Written by", "Publicado por", "Story by".
BY_LEADERS = frozenset({
    "written", "posted", "published", "reported", "reporting", "story", "article", "text", "words",
    "report", "opinion", "analysis", "review", "commentary", "column", "interview", "feature",
    "compiled", "produced", "filed", "submitted", "contributed", "updated",
    "escrito", "publicado", "publicada", "redactado", "reportaje", "texto",
    "ecrit", "ecrite", "publie", "publiee", "redige", "redigee", "article", "texte",
    "geschrieben", "verfasst", "veroffentlicht", "ein", "beitrag", "artikel", "aktualisiert",
    "scritto", "scritta", "pubblicato", "pubblicata", "articolo",
    "geschreven", "gepubliceerd", "bijgewerkt",
    "skrevet", "publisert", "publicerad", "skriven", "skrevs",
    "more", "mehr", "plus", "view", "see", "all", "posts", "articles", "stories", "alle", "beitrage",
    "artikel", "tous", "les", "articles", "todos", "los", "artigos", "notas", "ver", "voir",
    "kommentar", "analyse", "gastbeitrag", "essay", "reportage", "glosse", "kolumne", "bericht",
    "commentaire", "tribune", "chronique", "editorial", "editorial:", "columna", "cronica",
    "entrevista", "commento", "analisi", "rubriek", "recensie", "guest", "post", "essay",
    "una", "un", "nota", "articulo", "cronaca",
})

# Labels followed by a colon: "Author: Jane Doe", "Autor: ...", "Text: ...".
AUTHOR_LABELS = frozenset({
    "author", "authors", "autor", "autora", "autores", "autorin", "autoren", "auteur", "auteurs",
    "autrice", "autore", "autori", "auteur(s)", "forfatter", "forfattare", "byline", "by",
    "text", "texte", "texto", "testo", "tekst", "words", "reporter", "reporting", "von", "par",
    "por", "door", "redakteur", "redakteurin", "written by", "posted by", "story", "escrito por",
    # Chinese, Japanese and Korean labels: author, reporter, writer, editor (in charge), text by
    "作者", "记者", "記者", "著者", "笔者", "筆者", "撰文", "文", "执笔", "執筆", "编辑", "編集", "责任编辑",
    "責任編集", "责编", "编者", "取材", "取材・文", "文・写真", "기자", "글", "작성자",
})

# Placeholders that name nobody: dropped when they are all that an item says.
PLACEHOLDERS = frozenset({
    "staff", "admin", "administrator", "administrador", "editor", "editors", "the editors",
    "editorial", "editorial team", "editorial staff", "editorial board", "the editorial board",
    "editorial desk", "news desk", "newsdesk", "web desk", "webdesk", "desk", "newsroom", "team",
    "staff writer", "staff writers", "staff reporter", "staff reports", "staff report", "guest",
    "guest author", "guest post", "guest contributor", "anonymous", "unknown", "user", "root",
    "webmaster", "redaktion", "die redaktion", "red", "redaccion", "la redaccion", "redazione",
    "la redazione", "redactie", "de redactie", "redaction", "la redaction", "redacao", "a redacao",
    "wire", "wires", "wire services", "wire reports", "news services", "online", "online team",
    "web team", "digital team", "contributor", "contributors", "null", "none", "n/a", "na",
    "author", "authors", "writer", "reporter", "reporters", "correspondent", "press release",
    "sponsored", "sponsored content", "partner content", "advertorial", "brand studio", "content",
    # what a credit in brackets says a person did: "Jane Doe (Text) und John Roe (Fotos)"
    "text", "texte", "texto", "photo", "photos", "foto", "fotos", "video", "videos", "grafik", "graphics",
    "illustration", "illustrations", "bilder", "pictures",
})

# Nouns that name a role: "Staff Writer", "Senior Editor at TechCrunch", "Redakteurin".
ROLE_NOUNS = frozenset({
    "writer", "writers", "editor", "editors", "reporter", "reporters", "correspondent",
    "correspondents", "contributor", "contributors", "columnist", "columnists", "journalist",
    "journalists", "producer", "producers", "author", "authors", "analyst", "analysts", "critic",
    "critics", "staff", "staffer", "photographer", "photographers", "videographer", "illustrator",
    "anchor", "presenter", "intern", "blogger", "commentator", "strategist", "researcher",
    "desk", "bureau", "newsroom", "team", "publisher", "founder", "cofounder", "co-founder",
    "ceo", "cto", "director", "manager", "reports", "report", "service", "services", "agency",
    "agencies", "wire", "wires", "release", "sub-editor", "subeditor", "copyeditor",
    "factchecker", "fact-checker", "editor-in-chief", "editor-at-large",
    "redakteur", "redakteurin", "redakteure", "korrespondent", "korrespondentin", "autor",
    "autorin", "journalistin", "reporterin", "chefredakteur", "chefredakteurin", "ressortleiter",
    "ressortleiterin", "volontar", "volontarin", "mitarbeiter", "mitarbeiterin", "redaktion",
    "redacteur", "redactrice", "journaliste", "correspondant", "correspondante", "envoye",
    "envoyee", "chroniqueur", "chroniqueuse", "pigiste", "collaborateur", "collaboratrice",
    "redactor", "redactora", "periodista", "corresponsal", "colaborador", "colaboradora",
    "columnista", "enviado", "enviada", "reportero", "reportera", "jornalista", "colunista",
    "giornalista", "redattore", "redattrice", "corrispondente", "inviato", "inviata",
    "verslaggever", "skribent", "medarbetare", "journalisten", "redaccion", "redaction",
    "redazione", "redactie", "redacao",
    # titles people sign with besides newsroom roles
    "officer", "secretary", "president", "spokesperson", "spokesman", "spokeswoman", "chairman",
    "chairwoman", "chairperson", "host", "moderator", "curator", "adviser", "advisor", "consultant",
    "economist", "historian", "engineer", "designer", "coordinator", "specialist", "strategist",
    "기자", "특파원", "记者", "記者", "特派员", "特派員", "编辑", "編集者",
})

# Last words of outlet names ("CBC News", "The Daily Planet", "Tech Wire"): a capitalised phrase
# ending in one is an outlet or desk, not a person. English, German, French, Spanish, Italian,
# Portuguese, Dutch and Scandinavian forms.
OUTLET_WORDS = frozenset({
    "news", "times", "post", "press", "daily", "magazine", "journal", "media", "network", "radio",
    "tv", "online", "wire", "gazette", "herald", "tribune", "weekly", "today", "insider", "digital",
    "channel", "broadcasting", "review", "chronicle", "observer", "telegraph", "courier", "dispatch",
    "bulletin", "monitor", "standard", "examiner", "inquirer", "sentinel", "reporter", "newswire",
    "zeitung", "nachrichten", "presse", "rundschau", "anzeiger", "kurier", "tagblatt", "allgemeine",
    "noticias", "diario", "periodico", "prensa", "gazzetta", "notizie", "giornale", "quotidiano",
    "jornal", "folha", "krant", "nieuws", "dagblad", "avis", "tidning", "tidende", "nyheter", "posten",
    "agency", "agence", "agencia", "agenzia", "agentur",
})

# Words that qualify a role noun ("Senior", "Tech", "White House"). They are ordinary words
# and surnames too, so on their own they never make an item a role.
ROLE_MODIFIERS = frozenset({
    "senior", "chief", "deputy", "managing", "executive", "associate", "assistant", "freelance",
    "freelancer", "special", "principal", "lead", "head", "contributing", "staff", "guest",
    "news", "international", "national", "political", "technology", "tech", "science",
    "business", "sports", "sport", "health", "markets", "finance", "politics", "culture",
    "entertainment", "opinion", "features", "foreign", "global", "economics", "economy",
    "climate", "security", "investigative", "investigations", "data", "graphics", "video",
    "audio", "podcast", "social", "media", "digital", "web", "online", "white", "house",
    "washington", "europe", "asia", "affairs", "general", "assignment", "copy", "consumer",
    "legal", "health", "world", "breaking", "local", "metro", "city", "state", "weekend",
    "night", "morning", "evening", "content", "commerce", "deals", "reviews", "review",
    "gaming", "games", "mobile", "hardware", "software", "cloud", "ai", "crypto", "energy",
    "transportation", "autos", "cars", "travel", "food", "style", "fashion", "music", "film",
    "tv", "arts", "books", "education", "environment", "real", "estate", "property", "senior-",
    "chef", "leitender", "leitende", "freier", "freie", "stellvertretender", "stellvertretende",
    "especial", "jefe", "jefa", "speciale", "adjoint", "adjointe", "en", "chef",
})

# Small words allowed inside a role phrase ("Senior Editor at TechCrunch", "Head of Audio").
ROLE_GLUE = frozenset({
    "at", "of", "for", "the", "and", "&", "in", "on", "bei", "der", "die", "das", "des", "fur",
    "de", "la", "le", "du", "des", "a", "en", "el", "del", "da", "di", "della", "van", "het",
    "at:", "with", "to",
})

# Interface words that sit next to bylines and name nobody.
UI_WORDS = frozenset({
    "share", "shares", "follow", "following", "followers", "twitter", "x", "facebook", "linkedin",
    "instagram", "email", "e-mail", "mail", "bio", "profile", "view", "more", "read", "see",
    "all", "posts", "articles", "stories", "subscribe", "comments", "comment", "print",
    "contact", "rss", "feed", "website", "homepage", "tweet", "whatsapp", "mastodon", "bluesky",
    "threads", "youtube", "tiktok", "reddit", "copy", "link", "save", "listen", "min", "mins",
    "minute", "minutes", "read", "reading", "time", "close", "menu", "icon", "image", "photo",
    "avatar", "teilen", "folgen", "partager", "suivre", "compartir", "seguir", "condividi",
    "delen", "volgen", "dela", "del", "submit", "required", "send",
})

# Phrases that end the author part of a byline: what follows credits sources or other roles.
# Matched against folded text at a word boundary.
END_PHRASES = (
    "edited by", "editing by", "photos by", "photo by", "photographs by", "photography by",
    "illustration by", "illustrations by", "illustrated by", "graphics by", "video by",
    "translated by", "translation by", "fact-checked by", "fact checked by", "reviewed by",
    "medically reviewed by", "produced by", "design by", "designed by", "source:", "sources:",
    "quelle:", "quellen:", "fuente:", "fuentes:", "source :", "la informacion es de",
    "la informacion de", "con informacion de", "with information from", "information from",
    "mit material von", "via", "in collaboration with", "in partnership with",
    "sponsored by", "presented by", "courtesy of", "image:", "images:", "photo:", "foto:",
    "bild:", "bilder:", "fotos:", "photos:", "credit:", "credits:", "grafik:", "video:", "read more", "more from", "more by", "see all", "view all",
    "all posts", "all articles", "about the author", "view author", "author archive", "view profile",
    "email the author", "get author", "follow on", "follow me", "follow us", "(required)",
    "last updated", "updated", "published",
    "posted on", "posted", "publie", "publiee", "publicado el", "publicado em", "publicado",
    "actualizado", "atualizado", "aktualisiert", "veroffentlicht", "aggiornato", "pubblicato",
    "bijgewerkt", "gepubliceerd", "mis a jour", "modifie", "stand:", "erschienen",
    "reading time", "min read", "minute read", "minutes read", "lesezeit", "temps de lecture",
    "tiempo de lectura", "comments", "kommentare", "commentaires", "comentarios",
)

# Phrases that introduce more authors ("..., with additional reporting by Jane Doe").
# Decision: an additional reporter is credited with the story, so the name is kept.
MORE_AUTHORS_PHRASES = (
    "with additional reporting by", "with additional reporting from", "additional reporting by",
    "additional reporting from", "with reporting by", "with reporting from", "reporting by",
    "reporting from", "with contributions from", "with contributions by", "contributions from",
    "contributions by", "and contributed reporting", "mitarbeit:", "mitarbeit von",
    "unter mitarbeit von", "mit", "with", "avec", "con", "com", "met",
)

# Agencies and outlets that may be the author of a story. Keys are folded; values are the
# canonical spelling. When one of these trails a list of people ("..., CNN") it is the
# people's affiliation, not another author.
AGENCIES = {
    "ap": "AP", "the associated press": "The Associated Press", "associated press": "Associated Press",
    "reuters": "Reuters", "thomson reuters": "Thomson Reuters", "afp": "AFP",
    "agence france-presse": "Agence France-Presse", "agence france presse": "Agence France-Presse",
    "bloomberg": "Bloomberg", "bloomberg news": "Bloomberg News", "cnn": "CNN", "bbc": "BBC",
    "bbc news": "BBC News", "dpa": "dpa", "upi": "UPI", "efe": "EFE", "ansa": "ANSA",
    "kyodo": "Kyodo", "kyodo news": "Kyodo News", "xinhua": "Xinhua", "pti": "PTI", "ians": "IANS",
    "ani": "ANI", "aap": "AAP", "cp": "CP", "the canadian press": "The Canadian Press",
    "canadian press": "Canadian Press", "press association": "Press Association", "pa": "PA",
    "pa media": "PA Media", "sda": "SDA", "apa": "APA", "kna": "KNA", "epd": "epd", "sid": "SID",
"nbc news": "NBC News", "cbs news": "CBS News", "abc news": "ABC News",
    "fox news": "Fox News", "cnbc": "CNBC", "npr": "NPR", "the new york times": "The New York Times",
    "new york times": "New York Times", "the washington post": "The Washington Post",
    "washington post": "Washington Post", "the guardian": "The Guardian", "tass": "TASS",
    "ria novosti": "RIA Novosti", "yonhap": "Yonhap", "anadolu": "Anadolu", "europa press": "Europa Press",
    "notimex": "Notimex", "lusa": "Lusa", "belga": "Belga", "anp": "ANP", "ntb": "NTB", "tt": "TT",
    "ritzau": "Ritzau", "stt": "STT", "ctk": "ČTK", "pap": "PAP", "mti": "MTI", "agi": "AGI",
    "adnkronos": "Adnkronos", "the conversation": "The Conversation", "cnet": "CNET",
    "techcrunch": "TechCrunch", "the verge": "The Verge", "wired": "Wired", "engadget": "Engadget",
    "usa today": "USA Today",
}

# Month and weekday names (folded, with common abbreviations) for cutting dates out.
MONTHS = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
    "januar", "februar", "marz", "mai", "juni", "juli", "oktober", "dezember", "janner",
    "janvier", "fevrier", "mars", "avril", "juin", "juillet", "aout", "septembre", "octobre",
    "novembre", "decembre", "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
    "agosto", "septiembre", "setiembre", "octubre", "noviembre", "diciembre", "janeiro",
    "fevereiro", "marco", "maio", "junho", "julho", "setembro", "outubro", "novembro", "dezembro",
    "gennaio", "febbraio", "aprile", "maggio", "giugno", "luglio", "settembre", "ottobre",
    "dicembre", "januari", "februari", "maart", "mei", "augustus", "juni", "juli",
})
WEEKDAYS = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue",
    "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "montag", "dienstag", "mittwoch",
    "donnerstag", "freitag", "samstag", "sonntag", "lundi", "mardi", "mercredi", "jeudi",
    "vendredi", "samedi", "dimanche", "lunes", "martes", "miercoles", "jueves", "viernes",
    "sabado", "domingo", "lunedi", "martedi", "mercoledi", "giovedi", "venerdi",
    "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag",
})
# Relative times: "6 days ago", "vor 2 Stunden", "il y a 3 heures", "hace 5 minutos".
RELATIVE_TIME_WORDS = frozenset({
    "ago", "today", "yesterday", "just now", "heute", "gestern", "vor", "aujourd'hui", "hier",
    "hoy", "ayer", "hace", "oggi", "ieri", "fa", "vandaag", "gisteren", "geleden",
})
# Small words that introduce a date right after a name ("Jane Doe on May 2", "le 14.09", "am 29.").
DATE_PREPOSITIONS = frozenset({
    "on", "at", "le", "am", "um", "el", "il", "op", "den", "the", "a", "à", "de", "du", "em",
    "in", "el", "dia", "den", "d.", "-", "–", "—", "|", "•", "·", ",", "on:", "at:", "sur",
    "vom", "del", "of", "y", "and", "und", "et", "e",
})
