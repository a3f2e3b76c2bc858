"""Page chrome by kind: share rows, prompts, menus, link lists, captions, credits and author bios."""

from __future__ import annotations

import re

from qa.ingest import clean
from qa.text import normalise, prose_words, sentences, word_count

# Kinds of template text, each recognised by what it asks of the reader or says about the site, not by
# any one site's strings. Short lines (a button, a heading) match the broad words; longer lines only
# the phrases that no article sentence uses.
_SHORT_WORDS = 12
_LONG_WORDS = 60
# "Read also" in the languages news sites most use: a heading over links to other stories, or glued to them.
_READ_ALSO = (
    r"also read|lesen sie auch|lies auch|voir aussi|(?:à )?lire aussi|lee también|te puede interesar|"
    r"leggi anche|leia também|veja também|читайте также|вам также может быть интересно|"
    r"похожие (?:записи|статьи|новости)|baca juga|lees ook|zobacz (?:też|także)|czytaj (?:też|także)"
)
_KINDS_SHORT = {
    "share": re.compile(
        r"^(?:share|tweet|pin it|email|print(?: this)?(?: article| story| page)?|post to \w+|"
        r"share (?:this|on|via|with|it with)\b.*|\d+\s*shares?|"
        r"sharing is caring.*|copy (?:the |article |story )?link.*|like us on \w+|follow us.*|.*\bshar(?:e|ing) buttons?|"
        r"send (?:this (?:page|article|story|link)|(?:it )?to (?:a )?friend)\b.*|email (?:this|to a friend)\b.*)$",
        re.IGNORECASE,
    ),
    "prompt": re.compile(
        r"\b(?:sign[ -]?(?:in|up|out)|log[ -]?(?:in|out)|(?:subscribe|sign up) (?:to|for|now|today)|newsletters?|"
        r"cookies? (?:policy|settings|preferences)|required fields?|leave a (?:reply|comment)|"
        r"post (?:a )?comment|comments? (?:are )?closed|notify me|save my name|click here|create an account|"
        r"my account|download (?:the|our) app|forgot (?:your )?password|remember me|cancel reply|add comment|"
        r"(?:view|show|load|see) (?:\d+ )?(?:more|all|comments?)|read more|continue reading|skip to|back to top|"
        r"privacy (?:policy|notice|settings)|terms (?:of|and) (?:use|service|conditions)|contact us|about us|"
        r"sitemap|all rights reserved|powered by|©|copyright|embed this (?:tweet|post|video))\b|"
        # An advertisement's own labels.
        r"why (?:you're|you are|am i) seeing this(?: ad)?|^ad ?choices$|report (?:this )?ad$|"
        # A reader's controls: the size of the text ("A+", "Decrease article font size", "Text Size").
        r"^(?:(?:increase|decrease|descrease|reduce|enlarge|smaller|larger|bigger)\s+(?:(?:the|article)\s+)?"
        r"(?:font|text)(?:\s+size)?|(?:font|text)\s+size)(?:\s*[+-])?$|^a\s*[+-]$|^[+-]\s*a$|"
        # The same prompts in the other languages news sites most use: subscribe, log in.
        r"(?:^|\s)(?:s'abonner|abonnez-vous|abonnieren|suscr[ií]bete|suscribirse|iscriviti|abbonati|assine j[aá]|"
        r"подписаться|se connecter|einloggen|iniciar sesi[oó]n|"
        # ...and leave a comment, as translated WordPress themes print it.
        r"schreibe einen kommentar|laissez? un commentaire|deja una respuesta|deja(?:r)? un comentario|"
        r"lascia un commento|deixe (?:um comentário|uma resposta)|(?:добавить|оставить|оставьте) комментарий|"
        r"geef een reactie|dodaj komentarz|tinggalkan (?:balasan|komentar))(?=\s|$|[!.,:-])|"
        # A form field's label: "Enter City and State or Zip Code", "Type your email address".
        r"^(?:enter|type) (?:your |an? |the )?(?:[\w-]+ ){0,5}?(?:e-?mail|address|city|zip|post ?code|location|"
        r"keywords?|search terms?|password|user ?name|name|code)\b|"
        r"^(?:name|e-?mail|website|comments?|search|subscribe|register|advertisement|advertising|sponsored|"
        r"accept|close|menu|home|login|more|next|previous|reply|share|print|rss|search for|go)\s*[*:]?\s*$",
        re.IGNORECASE,
    ),
    # Photo captions' credit lines: an agency or photographer, not article text.
    "credit": re.compile(
        r"\b(?:getty images|shutterstock|istock|ap photo|afp|reuters/|file photo|courtesy(?: of)?|"
        r"photo(?:graph)?(?: credit)?\s*:|image(?: credit)?\s*:|credit\s*:|credit\.\.\.|photo by|image by|"
        # "Foto:" as most European languages write it.
        r"^fot[oó]s?\s*:|"
        # ...and a photo's own controls under its caption.
        r"^(?:click to enlarge|enlarge (?:this )?(?:image|photo|picture)|expand (?:image|photo)|[写画]真?像?を拡大(?:する)?)$)",
        re.IGNORECASE,
    ),
    "related": re.compile(
        rf"^\W*(?:{_READ_ALSO}|related|more (?:stories|news|from|in|on|articles|posts|videos)|most (?:popular|read|viewed|shared)|"
        r"trending|recommended|you (?:may|might) also like|read next|recent (?:posts|articles|stories)|"
        r"popular (?:posts|articles|stories)|top stories|latest (?:news|stories|posts|articles)|"
        r"editor'?s picks|what to read next|in case you missed it|see also|tags?|categories|"
        r"filed under|topics)\b",
        re.IGNORECASE,
    ),
}
_KINDS_LONG = re.compile(
    r"\b(?:we use cookies|this (?:web)?site uses cookies|by (?:clicking|continuing|using this)|"
    r"your email address will not be published|required fields are marked|all rights reserved|"
    r"powered by (?:wordpress|blogger|\w+)|privacy policy|terms of (?:use|service)|"
    r"get (?:our|the) newsletter|subscribe to our|"
    r"you must be logged in|log in to (?:comment|post|reply)|this material may not be published|"
    r"this entry was posted|is licensed under|enable javascript|(?:in|to) your inbox|"
    r"delivered (?:to your|every|weekday|daily)|sign up (?:for|to) our|opt-in|"
    r"may not be reproduced|for your personal,? non-?commercial use|presentation-ready copies|"
    r"prohibited without (?:the )?(?:express )?(?:prior )?(?:written )?(?:consent|permission)|"
    # A Russian outlet's registration as a mass medium, printed in its footer.
    r"свидетельство о регистрации|зарегистрирован[оа]? (?:в )?федеральной служб|роскомнадзор|"
    r"(?:republication|redistribution|reproduction) (?:or \w+ )?(?:of [\w ]{1,40} )?is (?:expressly |strictly )?prohibited|"
    r"unauthori[sz]ed (?:use|reproduction)|affiliate (?:links?|commission)|"
    r"submission guidelines|comments? policy|community guidelines|contributed (?:to )?(?:this )?report(?:ing)?|"
    r"(?:additional )?reporting by|editing by|follow (?:\w+ ){0,3}on (?:twitter|facebook|instagram|youtube)|"
    r"like this (?:story|article)|share (?:it|this) with a friend|"
    r"(?:not |un)supported (?:on|by) your (?:device|browser)|your browser does not support|"
    r"(?:update|upgrade) (?:to a modern|your) browser|no spam|unsubscribe at any time|click to subscribe|"
    r"story continues below|can send me|click to (?:share|email|print)|opens in (?:a )?new window|"
    r"(?:receive|earn) a (?:small )?commission|links to (?:online )?retail)\b",
    re.IGNORECASE,
)
# A comment form's notices in the languages news sites most use: "Save my name, email, and website in this
# browser for the next time I comment", "Your email address will not be published".
_FORM_NOTICE = re.compile(
    r"\b(?:browser|navegador|navigateur|браузере|peramban)\b.{0,80}(?:comment|kommentier|coment|комментари|komentar)|"
    r"\b(?:e-?mail|correo electrónico|endereço|indirizzo|adresse|адрес)\b.{0,40}(?:nicht veröffentlicht|"
    r"ne sera pas publiée|no será publicad[ao]|não será publicad[ao]|non sarà pubblicat[ao]|не будет опубликован|"
    r"tidak akan dipublikasikan|wordt niet gepubliceerd|nie zostanie opublikowany)",
    re.IGNORECASE,
)
# A site's pitch: a sentence that opens by telling the reader to sign up ("Subscribe to WIRED and stay smart
# ...", "Enter your email to subscribe to ..."), in a line of a few sentences at most. An article says it
# otherwise ("you can sign up for a free trial"), or at more length.
_PITCH = re.compile(
    r"(?:^[\W_]*|[.!?:]\s+|\bto\s+)(?:sign[ -]?up|subscribe)\s+(?:for|to|now|today)\b", re.IGNORECASE
)
_PITCH_WORDS = 30
# A photo caption, by what only captions say: who stands left or right, "In this ... photo", a credit.
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_CAPTION = re.compile(
    r"[,(]\s*(?:(?:second |third )?(?:from )?(?:left|right)|cent(?:er|re)|top|bottom|foreground|background)\s*[,)]|"
    r"^(?:in this|this|an?) .{0,100}?\b(?:file )?(?:photo|image|picture|handout|photograph|illustration|"
    r"rendering|screenshot|artist'?s (?:impression|concept))\b|"
    r"^(?:file photo|above:|below:|pictured:|\(source:|(?:media|image|video) caption)|^\([^()\s]*/[^()]*\)$|[a-z]Credit\s*[:.]|"
    # Agencies that go by their initials are written in capitals: "(ePA)" abbreviates a word of the text.
    r"^file photo\b|\((?:(?-i:AP|AFP|EPA)|reuters|getty|photo|image|credit)\b[^)]*\)\s*$|"
    r"[\[(][^\])]*\b(?:(?-i:AP|AFP|EPA)|reuters|getty(?: images)?|shutterstock|file)\b[^\])]*[\])]\s*$|"
    r"\b(?:(?-i:AP|AFP|EPA)|getty images|reuters|shutterstock)\s*(?:/\s*[\w .'-]+)?\s*$|"
    # News-agency style dates a photo with weekday and full date in one clause; stories name the day only.
    rf"\b{_WEEKDAY},\s+[A-Z][a-z]{{2,8}}\.?\s+\d{{1,2}},\s+\d{{4}}\b|"
    # A gallery's counter: "Image 2 of 5", "1of4".
    r"^(?:image|photo|slide|picture)?\s*\d+\s*of\s*\d+\b",
    re.IGNORECASE,
)
# An author's bio: a name, then what they are at a publication ("Ann Lee is a reporter for ...").
_BIO = re.compile(
    r"^(?:[A-Z][\w.'’-]+\s+){1,3}(?:\([^)]*\)\s+)?(?:is|was|has been|joined|writes|covers)\b.{0,120}?\b"
    r"(?i:reporter|writer|editor|correspondent|journalist|contributor|columnist|author|producer|publisher|"
    r"educator|founder|blogger|freelancer?|host|anchor|critic|staff)\b|"
    # "Write to Ann Lee at ann.lee@example.com": the author's address under the article.
    r"^(?i:write to|contact|email) [^@]{2,60}\bat \S+@\S+"
)
_BIO_WORDS = 120
_CAPTION_WORDS = 70
# A line of links to other stories: "Read these next ...", "Also on example.com ...", "- A - B - C".
_LINK_LIST = re.compile(
    rf"^\W*(?:read (?:these|this) next|also on \S+\.\w+|on \S+\.(?:com|org|net|co\.uk)\s*:|(?:{_READ_ALSO})\b)|"
    r"^- .{8,}?(?: - .{8,}?){2,}$",
    re.IGNORECASE,
)
# A teaser copies a paragraph's opening and ends in a link on to the full text.
_TEASER_TAIL = re.compile(
    r"\s*(?:\.\.\.|…|\[…\]|\[\.\.\.\])?\s*(?:read more|continue reading|read full (?:story|article)|more)\s*[»›>→]*\s*$",
    re.IGNORECASE,
)
_TEASER_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…|\[…\]|\[\.\.\.\])\s*$")


def kind(line: str) -> str | None:
    """What kind of page chrome a line is ("share", "prompt", "related", "nav", "footer"), or None."""
    text = normalise(line)
    if not text:
        return None
    count = word_count(text)
    if clean.is_boilerplate(line):
        return "nav"
    if count <= _SHORT_WORDS:
        for name, pattern in _KINDS_SHORT.items():
            if pattern.search(text):
                return name
        if _TEASER_TAIL.search(text) and count <= 3:
            return "prompt"
    if (count <= _LONG_WORDS and (_KINDS_LONG.search(text) or _FORM_NOTICE.search(text))) or (
        count <= _PITCH_WORDS and _PITCH.search(text)
    ):
        return "footer"
    if _LINK_LIST.search(text):
        return "related"
    return None


def is_bio(line: str) -> bool:
    """An author's bio line ("Ann Lee is a reporter for the Gazette, covering ...")."""
    text = normalise(line)
    return 0 < word_count(text) <= _BIO_WORDS and bool(_BIO.match(text))


def is_caption(line: str) -> bool:
    """A photo caption or its credit: "Ann Lee, left, speaks ...", "In this 2006 file photo ...", "(AP Photo/X)"."""
    text = normalise(line)
    return 0 < word_count(text) <= _CAPTION_WORDS and bool(_CAPTION.search(text))


def strip_teaser(text: str) -> str:
    """A teaser without its "... Read more »" tail, so that what is left is a prefix copy dedup folds."""
    stripped = _TEASER_TAIL.sub("", text)
    if stripped != text and word_count(stripped) >= 4:
        return _TEASER_ELLIPSIS.sub("", stripped)
    return text


def is_prose(line: str) -> bool:
    """A line (or wrapped paragraph) of running text: long enough and ending like a sentence.

    A headline has the length of a sentence but not its full stop; a hard-wrapped paragraph joined
    back together has both.
    """
    text = normalise(line)
    count = prose_words(text)
    ends = text.endswith(SENTENCE_END)
    return (count >= 8 and ends) or count >= 30 or (len(text) >= 80 and ends)


# A colon too: "...a definition like the following:" runs on into what it introduces.
SENTENCE_END = tuple('.!?…"”’)。:')


# Where a scraper glued a link's headline to its summary: a lower-case letter or digit, then at once a
# capitalised word ("...At Troy SteakhouseA party of six", "...Applications To 250,000The state will").
_GLUE = re.compile(r"(?:(?<=[a-z]{3})|(?<=\d))(?=(?:[A-Z][a-z]+|A)\s)")
_GLUE_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# A headline capitalises most words; a summary runs on as a sentence for at least this many words.
_HEADLINE_CAPITALS = 0.75
_HEADLINE_MIN_WORDS = 3
_SUMMARY_MIN_WORDS = 6
# ...and is a sentence or two: a line that runs on for more is a paragraph of the article, whatever its
# first words look like ("These included Fitzgerald, FitzGibbons (Gibbons) dynasty, ..." is no glue).
_SUMMARY_MAX_SENTENCES = 2


def glued_teaser(line: str) -> bool:
    """A link to another story, its title-cased headline glued to its summary, no space between."""
    text = normalise(line)
    glued = list(_GLUE.finditer(text))
    if len(glued) != 1:
        # None; or several, as where a site glues a name to its hover card ("Ann LeeAnn Marie LeeMayor ...").
        return False
    head, tail = text[: glued[0].start()], text[glued[0].start() :]
    return (
        word_count(head) >= _HEADLINE_MIN_WORDS
        and word_count(tail) >= _SUMMARY_MIN_WORDS
        and tail.endswith(SENTENCE_END)  # a summary is a sentence; "GateHouse merger sends ..." a headline
        and _capitalised(head) >= _HEADLINE_CAPITALS
        and _capitalised(tail) < _HEADLINE_CAPITALS
        and len(sentences(tail)) <= _SUMMARY_MAX_SENTENCES
    )


def is_title_case(text: str) -> bool:
    """Most of a line's words begin with a capital, as a headline's do ("Council Votes To Rebuild Wall")."""
    return _capitalised(text) >= _HEADLINE_CAPITALS


def _capitalised(text: str) -> float:
    """Share of a text's words that begin with a capital."""
    found = _GLUE_WORD.findall(text)
    return sum(w[0].isupper() for w in found) / len(found) if found else 0.0
