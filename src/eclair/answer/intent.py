"""Is a message a factual question, or something for the model (chat, writing, ideas)?

Contract: :func:`classify_intent` returns ``"factual"`` for questions that ask for facts
about the world (who, what, when, where, how many...), ``"open"`` for questions that ask for an
explanation ("why…", "how does…", "explique…", "is it true that…", "did X really…"), and
``"model"`` for everything the model may answer freely: greetings and thanks, questions
about the assistant itself, requests to write, rewrite, translate, summarise, brainstorm
or advise, opinions, and plain statements. It is called only after the tools (calculator,
dates, units, premise checks) have declined the message. Factual questions go to the
knowledge base and are abstained on when it has nothing, so when in doubt between a
question and a creative request, a request verb wins only when it *starts* the message.
"""

from __future__ import annotations

import re
from typing import Literal

from eclair.answer.facts import fold1

Intent = Literal["factual", "open", "model"]

_GREETING = re.compile(
    r"^\s*(?:hi|hello|hey|hiya|yo|good (?:morning|afternoon|evening|night)|thanks|thank you|thx|cheers|bye|"
    r"goodbye|see you|bonjour|bonsoir|salut|coucou|merci|au revoir|a bientot|bonne (?:nuit|journee|soiree)|"
    r"ok|okay|d'accord|super|great|cool|nice|parfait|perfect|bravo|lol|haha|ah|oh)\b[\s!.,?]*"
    r"(?:(?:eclair|there|everyone|toi|vous|a toi|beaucoup|so much|a lot|!)[\s!.,?]*)*$"
)
_SMALL_TALK = re.compile(
    r"\b(?:how are you|how're you|how do you do|how is it going|how's it going|what's up|whats up|"
    r"how(?:'s| is| was) your (?:day|week|morning|evening|weekend)|how are things|"
    r"comment (?:ca|vas-tu|allez-vous|tu vas|vous allez)|ca va|tu vas bien|vous allez bien|quoi de neuf)\b|"
    # "Could you help me out?", "Vous pouvez m'aider ?": an offer of help asked for, nothing else
    r"\b(?:can|could|would|will) you help(?: me| us)?(?: out)?(?: today| please| now| with something)?\W*$|"
    r"\b(?:tu peux|tu pourrais|peux-tu|pourrais-tu|pouvez-vous|pourriez-vous|vous pouvez|vous pourriez) "
    r"m'aider(?: aujourd'hui| stp| svp| s'il (?:te|vous) plait| un peu)?\W*$"
)
_ABOUT_ASSISTANT = re.compile(
    r"\b(?:who are you|what are you|what(?:'s| is) your name|what can you do|are you (?:a|an) (?:bot|ai|robot|human)|"
    r"who (?:made|created|built) you|qui es-tu|qui etes-vous|tu es qui|comment t'appelles-tu|comment tu t'appelles|"
    r"quel est ton nom|que sais-tu faire|que peux-tu faire|qu'est-ce que tu (?:sais|peux) faire|es-tu un robot|"
    r"t'es qui|qui t'a (?:cree|fait)|(?:who|what) is eclair|qui est eclair|c'est quoi eclair)\b"
)
# Requests addressed to the assistant about itself, in the second person: "introduce yourself",
# "tu peux te présenter ?", "parle-moi de toi", "how old are you", "es-tu une IA ?".
_SELF = re.compile(
    r"\b(?:introduce yourself|describe yourself|about yourself|tell me who you are|what you are|"
    r"how old are you|where are you from|where do you come from|are you (?:real|alive|conscious|sentient|"
    r"smart|happy|human|an? (?:ai|bot|robot|chatbot|assistant|language model|person|machine|program))|"
    r"do you have (?:feelings|emotions|a name|a body|friends|hobbies)|what(?:'s| is| are) your (?:name|"
    r"favou?rite|hobbies|purpose|job)|what model are you|how do you work|what can you help|"
    r"te presenter|presente-toi|presentez-vous|vous presenter|parle-moi de toi|parlez-moi de vous|"
    r"dis-moi qui tu es|qui tu es|ce que tu es|quel age as-tu|quel age tu as|d'ou viens-tu|tu viens d'ou|"
    r"(?:es-tu|tu es|t'es|etes-vous|vous etes) (?:un|une) (?:ia|intelligence artificielle|robot|bot|"
    r"humain|humaine|personne|machine|programme|assistant|assistante|chatbot)|"
    r"as-tu des (?:sentiments|emotions|amis|loisirs)|comment (?:tu fonctionnes|fonctionnes-tu)|"
    r"a quoi tu sers|a quoi sers-tu|tu sers a quoi|quel est ton (?:nom|role|but)|ton (?:nom|role)|"
    r"(?:are you|es-tu|tu es|t'es|etes-vous|vous etes) (?:chatgpt|gpt|claude|siri|alexa|gemini|llama|mistral|"
    r"smollm|copilot))\b"
)
_TASK = re.compile(
    r"^\s*(?:(?:please|pls|can you|can u|could you|could u|would you|will you|peux-tu|pourrais-tu|pouvez-vous|"
    r"pourriez-vous|tu peux|tu pourrais|vous pouvez|vous pourriez|stp|svp|s'il te plait|s'il vous plait)[\s,]+)?"
    r"(?:help me (?:to )?|aide-moi a |aidez-moi a |m'aider a |nous aider a |m'aider pour )?(?:me |m'|nous )?"
    r"(?:write|rewrite|compose|draft|create|generate|make up|imagine|invent|brainstorm|suggest|"
    r"propose|recommend|give me (?:some |a few |a |an |\d+ )?(?:[a-z]+ )?(?:ideas?|tips?|tricks?|hints?|advice|suggestions?|"
    r"names?|examples?|a list|recipes?|ways?|mnemonics?)\b|list (?:some|a few|\d+)? ?(?:ideas|names|ways|tips)|tell me a (?:joke|story|poem|riddle)|"
    r"translate|summari[sz]e|paraphrase|rephrase|reword|correct|proofread|fix|improve|continue|finish|plan|"
    r"explain (?:to me )?how to|ecri[st]|ecrire|ecrivez|redige[sz]?|rediger|compose[sz]?|composer|cree[sz]?|creer|"
    r"genere[sz]?|generer|imagine[sz]?|imaginer|invente[sz]?|inventer|raconter|propose[sz]?|proposer|suggere[sz]?|"
    r"suggerer|recommande[sz]?|conseille[sz]?-moi|donne[sz]?-moi (?:des |quelques |un |une |\d+ )?(?:[a-z]+ )?(?:idees?|"
    r"conseils?|exemples?|noms?|suggestions?|une liste|recettes?|astuces?|trucs?|moyens?)\b|donner (?:des |quelques |un |une |\d+ )?(?:idees?|conseils?|exemples?|noms?|suggestions?|astuces?|recettes?)|raconte[sz]?-moi (?:une|un) (?:blague|"
    r"histoire|conte|poeme)|traduis|traduisez|traduire|resume[sz]?|resumer|reformule[sz]?|reformuler|corrige[sz]?|"
    r"corriger|ameliore[sz]?|ameliorer|continue[sz]?|termine[sz]?|planifie[sz]?|organise[sz]?)\b"
)
_OPINION = re.compile(
    r"\b(?:what do you think|do you (?:like|think|prefer|love|believe|feel)|your (?:opinion|favou?rite)|"
    r"should i|would you rather|what would you|how can i|how do i|how should i|any (?:tips|advice|ideas)|"
    r"que penses-tu|qu'en penses-tu|tu (?:aimes|preferes|penses)|ton (?:avis|prefere)|ta (?:preferee)|"
    r"dois-je|devrais-je|comment (?:puis-je|je peux|faire pour|dois-je)|as-tu des (?:idees|conseils)|"
    r"(?:des|une|quelques|d')\s?(?:idees?|suggestions?|conseils?)\s*\?|(?:some|an?|any) (?:ideas?|suggestions?)\s*\?|"
    r"i need (?:a|an|some) (?:name|idea|ideas|title|slogan|gift|present|tips?)|j'ai besoin d'(?:un|une|des) "
    r"(?:nom|idee|idees|titre|slogan|cadeau|conseils?)|any idea|\bwhat(?:'s| is| are| would be) (?:a |some )?good\b|"
    r"(?:me |nous )?(?:conseilles|conseillez|recommandes|recommandez|suggeres|suggerez|proposes|proposez)(?:-tu|-vous)?\b|"
    r"(?:tu connais|vous connaissez|connais-tu|connaissez-vous|do you know|you know) (?:une|un|des|a|any|some) "
    r"(?:bonne |bon |good )?(?:blagues?|histoires?|jokes?|stor(?:y|ies)|poemes?|poems?|chansons?|songs?|devinettes?|riddles?)|"
    r"how (?:do you|do i|to|would you|should i|can i) say|comment (?:dire|on dit|dit-on|je dis|dirais-tu)|"
    # advice: "what can I do to…", "is it better to rent or buy?", "tu as des idées de sortie ?"
    r"what (?:can|could|should) (?:i|we) do|what(?:'s| is) the best way|is it better to|which is (?:better|healthier|"
    r"best|safer|cheaper|nicer)|things to do|qu'est-ce que (?:je|tu|on) (?:pourrais|devrais|peux|pourrait|devrait)|"
    r"que (?:puis|pourrais|devrais)-je|(?:tu as|t'as|vous avez|as-tu|avez-vous|tu aurais|t'aurais|aurais-tu|"
    r"vous auriez|auriez-vous) (?:des|quelques|deux|trois|quatre|cinq|\d) (?:idees|conseils|astuces|trucs|suggestions)|"
    r"(?:do you have|have you got|got) (?:any|some|two|three|four|five|\d) (?:tips|advice|ideas|suggestions)|"
    # advice asked for with an indefinite determiner, whatever the verb around it: "any good
    # pointers?", "what are a few tips to…", "d'autres conseils ?", "quelques petits trucs ?"
    r"(?:any|some|a few|few|des|quelques|d'autres|other) (?:\w+ ){0,2}(?:tips|advice|pointers|ideas|suggestions|"
    r"tricks|astuces|conseils|trucs|idees|suggestions)|"
    # ... or one piece of it asked for: "tu as un conseil pour… ?", "une idée de cadeau ?"
    r"(?:tu as|t'as|vous avez|as-tu|avez-vous|tu aurais|aurais-tu|auriez-vous|do you have|got) "
    r"(?:un|une|a|an) (?:petit |petite |bon |bonne |good |quick )?(?:conseil|idee|astuce|truc|suggestion|tip|idea|"
    r"trick|suggestion)|"
    r"quelle est la meilleure "
    r"(?:facon|maniere)|vaut-il mieux|est-il (?:preferable|mieux))(?!\w)"
)
_QUESTION_START = re.compile(
    r"^\s*(?:(?:and|et|so|alors|donc|but|mais|ok|okay)[\s,]+)?(?:who|whom|whose|what|what's|whats|which|when|where|"
    r"why|how|is|are|was|were|do|does|did|can|could|has|have|had|will|name|"
    r"tell me (?:about|who|what|when|where|which|how|why|whether|if|the|its|his|her)|"
    r"(?:i'd|i would|i want|i wanna|i'm trying) (?:like )?to (?:know|find out|learn)|i wonder|do you know|explain|describe|define|give me (?:the|a) (?:definition|date|name|number|list)|qui|que|quoi|"
    r"qu'est-ce|quel|quelle|quels|quelles|quand|ou|pourquoi|comment|combien|est-ce|parle-moi|explique|"
    r"expliquez|decris|decrivez|definis|definissez|donne-moi (?:la|le|les) (?:definition|date|nom|liste)|"
    r"(?:je (?:voudrais|veux|souhaite|souhaiterais|cherche a)|j'aimerais(?: bien)?) (?:savoir|connaitre)|"
    r"(?:dis|dites)-moi (?:qui|quel|quelle|quels|quelles|quand|ou|comment|combien|pourquoi|si|le|la|les|l')|"
    r"sais-tu|savez-vous|tu sais|vous savez|"
    # "In which year…", "En quelle année…", "À qui…": a question word after its preposition
    r"(?:in|on|at|by|for|from|to|of|with|since|until|during|en|a|dans|de|d'|depuis|jusqu'a|pour|par|avec|sur|"
    r"chez|pendant|vers) (?:which|what|whom|whose|when|where|how|quel|quelle|quels|quelles|qui|quoi|quand|"
    r"combien|ou))\b"
)
# A greeting before the message and thanks after it ("Bonjour, … ? Merci d'avance.") are
# courtesy: the message is what lies between
_GREETED = re.compile(r"^\s*(?:hi|hello|hey|bonjour|bonsoir|salut|coucou)\b[\s,!.]*(?=\S.{2})")
_THANKED = re.compile(
    r"(?<=[.!?])\s*(?:many thanks|thanks?(?: you)?(?: so much| a lot| very much| in advance)?|cheers|"
    r"merci(?: beaucoup| bien| d'avance| par avance)?|bonne (?:journee|soiree))[\s!.]{0,8}$"
)
# "tell me", "dis-moi" start a question ("dis-moi qui a écrit Hamlet") or a request ("dis-moi
# une blague"): with a poem or a joke asked for, the request wins
_TELL_ME = re.compile(
    r"^\s*(?:tell me|dis-moi|dites-moi|do you know|sais-tu|savez-vous|tu sais|vous savez)\b"
)
_FR_INVERSION = re.compile(r"\b\w+-(?:t-)?(?:il|elle|ils|elles|on)\b")


# A request for a made-up text: its premise may be as false as the writer likes
# ("Write a poem about the square root of a goat", "Écris une chanson sur les œufs de vache").
_CREATIVE_VERB = re.compile(
    r"^\s*(?:(?:please|can you|could you|peux-tu|pourrais-tu|tu peux|pouvez-vous)\s+)?(?:write|compose|make up|"
    r"invent|imagine|draft|ecri[st]|ecrire|ecrivez|compose[sz]?|invente[sz]?|imagine[sz]?|redige[sz]?)\b"
)
_CREATIVE_GENRE = re.compile(
    r"\b(?:a|an|some|un|une|des|quelques) (?:short |little |funny |petite? |drole )?(?:poem|poems|"
    r"song|songs|joke|jokes|limerick|haiku|tale|fairy tale|rap|sketch|story|poeme|poemes|chanson|chansons|blague|"
    r"blagues|conte|contes|fable|comptine|histoire)\b"
)


# An open question asks for an explanation, not for one fact: "why…", "how does…", "explain…",
# "is it true that…", "did X really…", "what is a…". The documents or the packs answer it when
# they can; otherwise the model explains (an explanation is not a fact to abstain on).
_OPEN = re.compile(
    r"^\s*(?:(?:and|et|so|alors|donc|but|mais|ok|okay)[\s,]+)?(?:why|how (?:do|does|did|can|could|is|are|was|were|"
    r"would|has|have)\b(?! (?:you|i|we)\b)|explain|describe|what causes|what happens|what(?:'s| is) the difference|"
    r"what (?:is|are) (?:a|an)\b|is it true|was it true|pourquoi|comment (?!s'appell|appelle-t-on|dit-on|on dit)|"
    r"explique|expliquez|decri[st]|decrivez|qu'est-ce qui|qu'est-ce que c'est|qu'est-ce qu(?:e|') ?(?:un|une|le|la|l'|les)\b|"
    r"c'est quoi (?:un|une|le|la|l'|les)\b|quelle est la difference|(?:est-ce|c'est|est-il) (?:vrai|exact)|"
    r"parle-moi|parlez-moi|tell me about)"
)
# "Did Leonardo really sketch a flying machine?", "Léonard a-t-il vraiment dessiné…"
# Questions about a word's meaning or a thing's merits are explanations too.
_OPEN_ANYWHERE = re.compile(
    r"\bwhat does\b.{1,60}\bmean\b|\bwhat is the meaning of\b|\bque (?:signifie|veut dire)\b|"
    r"\bqu'est-ce que (?:ca )?veut dire\b|\bwhat are (?:the |some )?(?:benefits|advantages|disadvantages|pros|cons|"
    r"dangers|risks) of\b|\bquels sont les (?:avantages|inconvenients|bienfaits|risques|dangers)\b|"
    r"\b(?:peux|pourrais)-tu m'expliquer\b|\b(?:pouvez|pourriez)-vous m'expliquer\b|\btu (?:peux|pourrais) m'expliquer\b|"
    r"^\W*(?:please |so |ok )?(?:can|could|would|will) you (?:please )?(?:explain|describe)\b"
)
_LAST_SENTENCE = re.compile(r"(?<=[.!])\s+(?=\S)")
_REALLY = re.compile(r"\b(?:really|actually|truly|vraiment|reellement|bien vrai)\b")
_YES_NO = re.compile(
    r"^\s*(?:did|do|does|is|are|was|were|has|have|had|can|could|est-ce|\w+-(?:t-)?(?:il|elle|ils|elles))\b"
)


# "How long before departure should I check in?", "à quelle heure dois-je arriver ?": a time
# that a rule sets, asked with "should I"; not advice
_RULE_ASKED = re.compile(
    r"(?:^|[:;,.?!]\s*)(?:within |in |after |dans |sous |en )?(?:how long|how early|how far in advance|"
    r"how many (?:minutes|hours|days|weeks|months|years)|what time|combien de temps|"
    r"combien de (?:minutes|heures|jours|semaines|mois|ans|annees)|a quelle heure)\b"
    r"[^?]{0,60}\b(?:should i|must i|do i (?:have|need) to|dois-je|faut-il|doit-on|devons-nous)\b"
)


def is_creative_request(folded: str) -> bool:
    """A request for a made-up text (a poem, a story, a joke…), on text folded by ``fold1``.

    The one classifier of creative requests: the premise checks leave such a request alone (its
    premise may be as false as the writer likes) and :func:`classify_intent` sends it to the
    model. A question is none, whatever it names ("what is the cube root of a song?", "who wrote
    a poem about the sea?"), unless it asks to be told one ("tell me a story")."""
    if _CREATIVE_VERB.match(folded):
        return True
    return bool(_CREATIVE_GENRE.search(folded)) and not (
        _QUESTION_START.match(folded) and not _TELL_ME.match(folded)
    )


_CLAUSE = re.compile(r"(?<=[,.;:!?])\s+")


# A request for a text in a later clause, asked politely: "…, tu peux me donner une recette ?"
# ("…, can you correct that?" contests an answer: not a request for a text)
_LATER_TASK = re.compile(
    r"^\s*(?:please |pls )?(?:can you|could you|would you|will you|peux-tu|pourrais-tu|pouvez-vous|pourriez-vous|"
    r"tu peux|tu pourrais|vous pouvez|vous pourriez)\s+(?:me |m'|nous )?(?:write|compose|draft|give me|suggest|"
    r"recommend|propose|translate|summari[sz]e|tell me a|ecrire|rediger|composer|donner|proposer|suggerer|"
    r"recommander|conseiller|traduire|resumer|raconter)\b"
    # ("can you give me the answer?" asks for the result of what was said, not for a text)
    r"(?!\s+(?:the |la |le |l'|ta |your )?(?:answer|result|reponse|resultat|total|solution|number|nombre|value|valeur)\b)"
)


def _asks_task(folded: str) -> bool:
    """A request verb at the start of the message, or a polite request for a text at the start
    of a later clause ("On est 8 samedi, tu peux me proposer un menu ?")."""
    first, *later = _CLAUSE.split(folded)[:6]
    return bool(_TASK.match(first)) or any(_LATER_TASK.match(clause) for clause in later)


# "Can you explain what a percentage is to a 7-year-old?", "Explique-moi ce qu'est une fraction
# en deux phrases": a notion in general (an indefinite article), to be explained; its
# numbers describe the text wanted ("explain what the square root of 49 is" asks for a value)
_EXPLAIN_NOTION = re.compile(
    r"^\s*(?:(?:please|can you|could you|would you|peux-tu|pourrais-tu|pouvez-vous|pourriez-vous|tu peux|"
    r"tu pourrais)[\s,]+)?(?:please )?(?:explain|explique[sz]?|expliquer)(?:-moi|-nous| to me| me| moi| nous)?\s+"
    r"(?:what (?:a|an)\s|the (?:idea|concept|notion|meaning) of (?:a|an)\s|ce qu(?:e|')\s?(?:est|sont) (?:un|une|des)\s|"
    r"la notion d(?:e|')\s?(?:un|une)?\s?|(?:a|an|un|une)\s(?!\d))"
)


def explains_notion(folded: str) -> bool:
    """A request to explain a notion in general ("explain what a prime number is"), on ``fold1``
    text: not a computation, even when the notion is one."""
    return bool(_EXPLAIN_NOTION.match(folded))


def is_text_request(folded: str) -> bool:
    """A request to write, translate, summarise, suggest, advise or explain a notion (on ``fold1``
    text): its numbers are part of the text asked for, not a computation ("give me 3 tips to
    save 20%", "explain what a percentage is to a 7-year-old")."""
    return _asks_task(folded) or is_creative_request(folded) or explains_notion(folded)


def classify_intent(message: str) -> Intent:
    """``"factual"`` or ``"model"`` (see the module docstring)."""
    text = fold1(message).strip()
    if not text:
        return "model"
    if not _GREETING.match(text):
        text = _THANKED.sub("", _GREETED.sub("", text)).strip()
    if (
        _GREETING.match(text)
        or _SMALL_TALK.search(text)
        or _ABOUT_ASSISTANT.search(text)
        or _SELF.search(text)
    ):
        return "model"
    if _asks_task(text) or (_OPINION.search(text) and not _RULE_ASKED.search(text)):
        return "model"
    # "A poem about the sea, please": a request; "who wrote a poem about the sea?": a question.
    if is_creative_request(text):
        return "model"
    # (the question may follow what prompted it: "Ice floats on water. Why is that?")
    asked = _LAST_SENTENCE.split(text)[-1]
    if (
        _OPEN.match(text)
        or (asked != text and asked.endswith("?") and _OPEN.match(asked))
        or _OPEN_ANYWHERE.search(text)
        or (_REALLY.search(text) and (_YES_NO.match(text) or _FR_INVERSION.search(text)))
    ):
        return "open"
    if text.endswith("?") or _QUESTION_START.match(text) or _FR_INVERSION.search(text):
        return "factual"
    return "model"
