"""Word lists for copyright notices: rights phrases, legal suffixes, words that end a holder.

Phrases are lowercase and accent-free; compare against text folded the same way
(`newsarchive.normalize.names_vocabulary.fold_word`).
"""
from __future__ import annotations

# "All rights reserved" in the languages of the crawled sites. The English phrase is
# rewritten to "All rights reserved"; the others are kept as written.
RIGHTS_RESERVED = (
    "all rights reserved", "all right reserved", "all rights are reserved", "alle rechte vorbehalten",
    "alle rechte sind vorbehalten", "tous droits reserves", "tous les droits sont reserves",
    "tous droits de reproduction reserves", "todos los derechos reservados",
    "todos os direitos reservados", "todos direitos reservados", "derechos reservados",
    "direitos reservados", "tutti i diritti riservati", "tutti i diritti sono riservati",
    "alle rechten voorbehouden", "alle rettigheder forbeholdes", "alle rettigheter reservert",
    "alle rettigheter forbeholdt", "alla rattigheter forbehalls", "wszelkie prawa zastrzezone",
    "vsechna prava vyhrazena", "minden jog fenntartva", "tum haklari saklidir",
    "kaikki oikeudet pidatetaan", "vse prava zashchishcheny", "все права защищены",
    "版权所有", "版權所有", "保留所有权利", "保留所有權利", "著作権所有", "無断転載を禁じます", "무단전재",
)

# Sentences that may follow the rights phrase and belong to the notice.
REPRODUCTION_WARNINGS = (
    "may not be published", "may not be reproduced", "may not be copied", "may not be used",
    "do not reproduce", "no part of", "reproduction", "without permission", "without prior",
    "without the prior", "without written", "without express", "is prohibited",
    "is strictly prohibited", "e proibida", "es prohibida", "queda prohibida", "est interdite",
    "interdite", "nachdruck", "ohne genehmigung", "vietata", "riproduzione",
)

# Legal-form words that end a company name ("Inc.", "GmbH", "a.s."). Lowercase, no final dot.
LEGAL_SUFFIXES = frozenset({
    "inc", "incorporated", "llc", "l.l.c", "llp", "lp", "ltd", "limited", "plc", "co", "corp",
    "corporation", "company", "gmbh", "ag", "kg", "kgaa", "ohg", "ug", "se", "sa", "s.a", "s.a.s",
    "sas", "sarl", "s.a.r.l", "srl", "s.r.l", "spa", "s.p.a", "bv", "b.v", "nv", "n.v", "ab", "as",
    "a/s", "asa", "oy", "oyj", "a.s", "s.r.o", "sro", "sp. z o.o", "kft", "zrt", "pty", "pte",
    "pvt", "k.k", "kk", "s.l", "sl", "s.c", "e.v", "ev", "mbh", "gbr", "eg", "ltda", "cia",
})

# Phrases after which the holder has ended (site credits, links).
HOLDER_STOP_PHRASES = (
    "powered by", "designed by", "design by", "developed by", "hosted by", "built by", "site by",
    "website by", "web design", "theme by", "managed by", "content management by", "maintained by",
    "published by", "distributed by", "made with", "made by", "proudly powered",
    "terms of use", "terms of service", "terms and conditions", "terms & conditions",
    "privacy policy", "privacy notice", "cookie policy", "cookie", "contact us", "contact",
    "impressum", "datenschutz", "sitemap", "site map", "about us", "legal notice", "disclaimer",
    "is not responsible", "is a trademark", "is a registered trademark", "not associated",
    "for reprint", "reprints", "use of this site", "by using this", "read about", "all content",
)

# Words after the copyright word that show it is a link or a topic, not a notice
# ("Copyright Policy", "Copyright infringement").
NOT_A_NOTICE_AFTER_WORD = frozenset({
    "policy", "notice", "notices", "act", "office", "law", "laws", "infringement", "infringements",
    "information", "info", "terms", "agent", "claim", "claims", "complaint", "complaints",
    "issues", "issue", "holder", "holders", "owner", "owners", "protection", "statement",
    "and", "&", "/", "reform", "directive", "lawsuit", "violation", "violations", "rules",
    "status", "free", "strike", "strikes", "trolls", "troll", "registration", "license",
    "licence", "licensing", "page", "dispute", "disputes", "concerns", "is", "was", "has",
    "will", "would", "can", "could", "to", "in", "on", "for",
})

# Labels of image credits: a notice after one of these is a picture credit, not the page's.
IMAGE_CREDIT_LABELS = (
    "image", "images", "photo", "photos", "picture", "foto", "fotos", "bild", "bilder",
    "rubriklistenbild", "titelbild", "credit", "credits", "illustration", "grafik", "quelle",
    "source", "getty", "imagen", "immagine", "video",
)
