"""Every sentence Éclair's tools say to a user, in English and in French.

Contract: :func:`say` looks a message up by key and fills it in; each key exists in both
languages (a test checks this), so a reply is always in the user's language. Messages are
written as a careful person would say them: the answer first, then the reason, no
apologies, no filler. Number formatting lives in :mod:`eclair.answer.numfmt`; this module
only holds words.
"""

from __future__ import annotations

from typing import Any

from eclair.text.calendar import MONTH_NAMES, WEEKDAY_NAMES

MESSAGES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ calculator
    "calc.exact": {"en": "{expr} = {value}", "fr": "{expr} = {value}"},
    "calc.approx": {"en": "{expr} ≈ {value}", "fr": "{expr} ≈ {value}"},
    "calc.fraction": {"en": "{expr} = {fraction} ≈ {value}", "fr": "{expr} = {fraction} ≈ {value}"},
    "calc.claim_right": {"en": "Yes: {expr} {equals} {value}.", "fr": "Oui : {expr} {equals} {value}."},
    "calc.claim_wrong": {
        "en": "No: {expr} {equals} {value}, not {claimed}.",
        "fr": "Non : {expr} {equals} {value}, et non {claimed}.",
    },
    "calc.percentage_of": {
        "en": "{part} is {value}% of {whole} ({part} ÷ {whole} × 100 = {value}).",
        "fr": "{part} représente {value} % de {whole} ({part} ÷ {whole} × 100 = {value}).",
    },
    "calc.percent_change": {
        "en": "From {old} to {new} is {direction} of {rate}% ({formula} = {rate}).",
        "fr": "De {old} à {new}, c'est {direction} de {rate} % ({formula} = {rate}).",
    },
    "calc.change_up": {"en": "an increase", "fr": "une hausse"},
    "calc.change_down": {"en": "a decrease", "fr": "une baisse"},
    "calc.change_none": {"en": "a change", "fr": "une variation"},
    "calc.too_large": {
        "en": "I won't compute that: the result would have more than {max_digits} digits, too large to "
        "work out exactly.",
        "fr": "Je ne calcule pas cela : le résultat aurait plus de {max_digits} chiffres, trop pour être "
        "calculé exactement.",
    },
    "calc.too_deep": {
        "en": "I won't compute that: the expression is nested too deeply (more than {max_depth} levels).",
        "fr": "Je ne calcule pas cela : l'expression est trop imbriquée (plus de {max_depth} niveaux).",
    },
    "calc.too_long": {
        "en": "I won't compute that: the expression is too long.",
        "fr": "Je ne calcule pas cela : l'expression est trop longue.",
    },
    "calc.timeout": {
        "en": "I stopped: this calculation takes too long to do exactly.",
        "fr": "Je m'arrête : ce calcul est trop long pour être fait exactement.",
    },
    "calc.div_zero": {
        "en": "Division by zero is undefined, so {expr} has no value.",
        "fr": "La division par zéro n'est pas définie : {expr} n'a pas de valeur.",
    },
    "calc.negative_root": {
        "en": "{value} has no real square root: no real number squared gives a negative number "
        "(in the complex numbers, the square roots of {value} are ±{imag}i).",
        "fr": "{value} n'a pas de racine carrée réelle : aucun nombre réel au carré ne donne un nombre "
        "négatif (dans les nombres complexes, ses racines carrées sont ±{imag}i).",
    },
    "calc.domain": {
        "en": "That is undefined: {detail}.",
        "fr": "Ce n'est pas défini : {detail}.",
    },
    "calc.name": {
        "en": "I can only calculate with numbers: “{name}” is not a number. Names, variables and code "
        "are not allowed, only numbers with + - × ÷ ^ √ % and parentheses.",
        "fr": "Je ne calcule qu'avec des nombres : « {name} » n'est pas un nombre. Les noms, variables et "
        "le code ne sont pas acceptés, seulement des nombres avec + - × ÷ ^ √ % et des parenthèses.",
    },
    "calc.attribute": {
        "en": "I can only calculate with numbers: attribute access and code are not allowed, only numbers "
        "with + - × ÷ ^ √ % and parentheses.",
        "fr": "Je ne calcule qu'avec des nombres : le code et les attributs ne sont pas acceptés, seulement "
        "des nombres avec + - × ÷ ^ √ % et des parenthèses.",
    },
    "calc.syntax": {
        "en": "I couldn't read that expression (near “{detail}”).",
        "fr": "Je n'arrive pas à lire cette expression (vers « {detail} »).",
    },
    "calc.ambiguous": {
        "en": "I won't guess: {expr} can be read two ways (a product written without a sign right after "
        "a division). Add parentheses or a × sign to say which one you mean.",
        "fr": "Je ne devine pas : {expr} se lit de deux façons (un produit écrit sans signe juste après une "
        "division). Ajoutez des parenthèses ou un signe × pour préciser.",
    },
    "calc.ambiguous_fraction": {
        "en": "I won't guess: after a division sign, {fraction} can be one number (a fraction) or a second "
        "division, and the results differ. Add parentheses to say which one you mean.",
        "fr": "Je ne devine pas : après un signe de division, {fraction} peut être un seul nombre (une "
        "fraction) ou une deuxième division, et les résultats diffèrent. Ajoutez des parenthèses pour préciser.",
    },
    "calc.missing_paren": {
        "en": "I couldn't compute that expression: a closing parenthesis is missing.",
        "fr": "Je ne peux pas calculer cette expression : il manque une parenthèse fermante.",
    },
    "calc.unread": {
        "en": "I can't work that out reliably: I could not read every number and operation of your request, "
        "and I won't guess a value. Could you write it as a calculation (for example 3 × 4 + 2) or one step at a time?",
        "fr": "Je ne peux pas calculer cela de façon fiable : je n'ai pas pu lire chaque nombre et chaque opération de "
        "votre demande, et je ne devine pas une valeur. Pouvez-vous l'écrire comme un calcul (par exemple 3 × 4 + 2) "
        "ou une étape à la fois ?",
    },
    "calc.incomplete": {
        "en": "I couldn't compute that expression: it is incomplete (an operation has no number after it).",
        "fr": "Je ne peux pas calculer cette expression : elle est incomplète (une opération n'a pas de nombre "
        "après elle).",
    },
    "domain.factorial": {
        "en": "the factorial is only defined for whole numbers 0, 1, 2…",
        "fr": "la factorielle n'est définie que pour les entiers 0, 1, 2…",
    },
    "domain.modulo": {
        "en": "the remainder is only defined for whole numbers",
        "fr": "le reste n'est défini que pour des nombres entiers",
    },
    # ------------------------------------------------------------ units
    "units.exact": {"en": "{source} = {target}", "fr": "{source} = {target}"},
    "units.approx": {"en": "{source} ≈ {target}", "fr": "{source} ≈ {target}"},
    "units.incompatible": {
        "en": "I can't convert {source} to {target}: one is {source_kind} and the other {target_kind}.",
        "fr": "Impossible de convertir des {source} en {target} : l'un mesure {source_kind}, l'autre "
        "{target_kind}.",
    },
    "units.below_absolute_zero": {
        "en": "{source} is below absolute zero (-273.15 °C), the lowest possible temperature.",
        "fr": "{source} est en dessous du zéro absolu (-273,15 °C), la température la plus basse possible.",
    },
    "units.note_binary": {
        "en": " (in decimal units; in binary units, 1 {binary_big} = 1024 {binary_small})",
        "fr": " (en unités décimales ; en unités binaires, 1 {binary_big} = 1024 {binary_small})",
    },
    "units.note_year": {"en": " (counting a 365-day year)", "fr": " (pour une année de 365 jours)"},
    # ------------------------------------------------------------ dates
    "date.ambiguous": {
        "en": "I can't tell which date {written} is: {first} (month first) or {second} (day first). "
        "Please write the month in words.",
        "fr": "Je ne peux pas savoir quelle date est {written} : le {first} (mois d'abord) ou le {second} "
        "(jour d'abord). Écrivez le mois en toutes lettres.",
    },
    "date.ambiguous_weekday": {
        "en": "“{written}” can mean {first} (this week) or {second} (next week). Which one do you mean?",
        "fr": "« {written} » peut désigner le {first} (cette semaine) ou le {second} (la semaine prochaine). "
        "Lequel voulez-vous dire ?",
    },
    "date.weekday_past": {"en": "{date} was a {weekday}.", "fr": "Le {date} était un {weekday}."},
    "date.weekday_today": {
        "en": "{date} is a {weekday} (today).",
        "fr": "Le {date} est un {weekday} (aujourd'hui).",
    },
    "date.weekday_future": {"en": "{date} will be a {weekday}.", "fr": "Le {date} sera un {weekday}."},
    "date.proleptic": {
        "en": " (in the proleptic Gregorian calendar; the Julian calendar was still in use then)",
        "fr": " (dans le calendrier grégorien proleptique ; on utilisait alors le calendrier julien)",
    },
    "date.between": {
        "en": "There {verb} {days} between {start} and {end}{weeks}.",
        "fr": "Il y a {days} entre le {start} et le {end}{weeks}.",
    },
    "date.weeks_exact": {"en": " (exactly {weeks})", "fr": " (exactement {weeks})"},
    "date.until": {
        "en": "{end} is {days} from today ({today}).",
        "fr": "Le {end} est dans {days} (nous sommes le {today}).",
    },
    "date.since": {
        "en": "{start} was {days} ago (today is {today}).",
        "fr": "Le {start} était il y a {days} (nous sommes le {today}).",
    },
    "date.same": {"en": "That is today ({today}).", "fr": "C'est aujourd'hui ({today})."},
    "date.shift": {
        "en": "{amount} {direction} {base} is {weekday} {result}.",
        "fr": "{amount} {direction} le {base}, c'est le {weekday} {result}.",
    },
    "date.shift_from_today": {
        "en": "In {amount}, it will be {weekday} {result} (today is {today}).",
        "fr": "Dans {amount}, nous serons le {weekday} {result} (nous sommes le {today}).",
    },
    "date.shift_ago": {
        "en": "{amount} ago, it was {weekday} {result} (today is {today}).",
        "fr": "Il y a {amount}, nous étions le {weekday} {result} (nous sommes le {today}).",
    },
    "date.month_days": {"en": "{month} has {days} days.", "fr": "{month} compte {days} jours."},
    "date.month_days_february": {
        "en": "February has 28 days, and 29 in leap years.",
        "fr": "Février compte 28 jours, et 29 les années bissextiles.",
    },
    "date.today": {"en": "Today is {weekday} {today}.", "fr": "Nous sommes le {weekday} {today}."},
    "date.leap_yes": {
        "en": "Yes, {year} is a leap year: February has 29 days.",
        "fr": "Oui, {year} est une année bissextile : février compte 29 jours.",
    },
    "date.leap_no": {
        "en": "No, {year} is not a leap year: February has 28 days.",
        "fr": "Non, {year} n'est pas une année bissextile : février compte 28 jours.",
    },
    "date.leap_was_yes": {
        "en": "Yes, {year} was a leap year: February had 29 days.",
        "fr": "Oui, {year} était une année bissextile : février comptait 29 jours.",
    },
    "date.leap_was_no": {
        "en": "No, {year} was not a leap year: February had 28 days.",
        "fr": "Non, {year} n'était pas une année bissextile : février comptait 28 jours.",
    },
    "date.leap_days": {
        "en": "A leap year has 366 days (February has 29).",
        "fr": "Une année bissextile compte 366 jours (février en a 29).",
    },
    "date.invalid": {
        "en": "That date does not exist: {month} {year_part}has only {days} days.",
        "fr": "Cette date n'existe pas : le mois de {month} {year_part}ne compte que {days} jours.",
    },
    "date.out_of_range": {
        "en": "I can only work with dates between the years 1 and 9999.",
        "fr": "Je ne sais calculer qu'avec des dates entre l'an 1 et l'an 9999.",
    },
    "date.stated_today": {"en": "{today}, as you said", "fr": "{today}, comme vous l'indiquez"},
    "date.taking_today": {
        "en": "Taking today as {today}: {reply}",
        "fr": "En prenant le {today} comme date du jour : {reply}",
    },
    "date.weekday_claim_yes": {"en": "Yes: {reply}", "fr": "Oui : {reply}"},
    "date.weekday_claim_no": {
        "en": "No: {reply_body}, not a {claimed}.",
        "fr": "Non : {reply_body}, et non un {claimed}.",
    },
    "date.weekday_shift_future": {
        "en": "If today is a {start}, in {amount} it will be a {result}.",
        "fr": "Si nous sommes un {start}, dans {amount} nous serons un {result}.",
    },
    "date.weekday_shift_past": {
        "en": "If today is a {start}, {amount} ago it was a {result}.",
        "fr": "Si nous sommes un {start}, il y a {amount} nous étions un {result}.",
    },
    "date.weekday_after": {
        "en": "{amount} after a {start}, it is a {result}.",
        "fr": "{amount} après un {start}, nous sommes un {result}.",
    },
    "date.weekday_before": {
        "en": "{amount} before a {start}, it is a {result}.",
        "fr": "{amount} avant un {start}, nous sommes un {result}.",
    },
    "date.date_needs_today": {
        "en": "Knowing only that today is a {weekday}, I can't tell the date. Tell me today's date and I "
        "will work it out.",
        "fr": "En sachant seulement que nous sommes un {weekday}, je ne peux pas donner la date. Donnez-moi "
        "la date du jour et je ferai le calcul.",
    },
    "date.weekday_needs_date": {
        "en": "Knowing only that today is a {start}, I cannot tell: months and years differ in length. "
        "Tell me today's date and I will work it out.",
        "fr": "En sachant seulement que nous sommes un {start}, je ne peux pas le dire : les mois et les "
        "années n'ont pas tous la même longueur. Donnez-moi la date du jour et je ferai le calcul.",
    },
    "date.weekday_shift_note": {"en": " ({amount} is {weeks})", "fr": " ({amount}, c'est {weeks})"},
    "date.between_weeks": {
        "en": "There {verb} {weeks} between {start} and {end} ({days}).",
        "fr": "Il y a {weeks} entre le {start} et le {end} ({days}).",
    },
    "date.between_inclusive": {
        "en": "From {start} to {end}, counting both days, there are {days} ({gap} between the two dates).",
        "fr": "Du {start} au {end}, les deux jours compris, il y a {days} ({gap} d'écart entre les deux dates).",
    },
    "date.between_exclusive": {
        "en": "Strictly between {start} and {end} there are {days} ({gap} between the two dates).",
        "fr": "Strictement entre le {start} et le {end}, il y a {days} ({gap} d'écart entre les deux dates).",
    },
    "date.span": {
        "en": "There {verb} {amount} between {start} and {end}{detail}.",
        "fr": "Il y a {amount} entre le {start} et le {end}{detail}.",
    },
    "date.age_in_year": {
        "en": "In {year}, someone born on {birth} turns {after} on {birthday}: {before} years old before that "
        "day, {after} from it.",
        "fr": "En {year}, une personne née le {birth} a {after} ans à partir du {birthday}, et {before} ans "
        "avant.",
    },
    "date.age_on": {"en": "on {on}", "fr": "le {on}"},
    "date.age_today": {"en": "today, {today}", "fr": "aujourd'hui, le {today}"},
    "date.age_next": {"en": "{next_age} from {birthday}", "fr": "{next_age} ans à partir du {birthday}"},
    "date.age_you_past": {
        "en": "You were {age} {when} (born on {birth}{note}).",
        "fr": "Vous aviez {age} {when} (naissance le {birth}{note}).",
    },
    "date.age_you_present": {
        "en": "You are {age} {when} (born on {birth}{note}).",
        "fr": "Vous avez {age} {when} (naissance le {birth}{note}).",
    },
    "date.age_you_future": {
        "en": "You will be {age} {when} (born on {birth}{note}).",
        "fr": "Vous aurez {age} {when} (naissance le {birth}{note}).",
    },
    "date.age_someone_past": {
        "en": "Someone born on {birth} was {age} {when}{note}.",
        "fr": "Une personne née le {birth} avait {age} {when}{note}.",
    },
    "date.age_someone_present": {
        "en": "Someone born on {birth} is {age} {when}{note}.",
        "fr": "Une personne née le {birth} a {age} {when}{note}.",
    },
    "date.age_someone_future": {
        "en": "Someone born on {birth} will be {age} {when}{note}.",
        "fr": "Une personne née le {birth} aura {age} {when}{note}.",
    },
    "date.age_unborn": {
        "en": "{on} is before the birth date ({birth}): there is no age to give on that day.",
        "fr": "Le {on} précède la date de naissance ({birth}) : il n'y a pas d'âge à donner ce jour-là.",
    },
    "date.after": {"en": "after", "fr": "après"},
    "date.before": {"en": "before", "fr": "avant"},
    # ------------------------------------------------------------ premises
    "premise.not_a_number": {
        "en": "“{thing}” is not a number, so it has no {operation}: {operation_def} is only defined for "
        "numbers.",
        "fr": "« {thing} » n'est pas un nombre : on ne peut pas en calculer {operation_art}, une opération "
        "qui n'a de sens que pour des nombres.",
    },
    "premise.not_a_number_binary": {
        "en": "“{thing}” is not a number, so “{expression}” cannot be calculated: {operation} only "
        "applies to numbers.",
        "fr": "« {thing} » n'est pas un nombre : « {expression} » ne se calcule pas, {operation_art} ne "
        "s'applique qu'à des nombres.",
    },
    "premise.eggs_mammal": {
        "en": "There are no {sg} eggs: {pl} are mammals, and mammals do not lay eggs (only the platypus "
        "and the echidnas do).",
        "fr": "Les œufs {de_sg} n'existent pas : {les_pl} sont des mammifères, et les mammifères ne pondent "
        "pas d'œufs (seuls l'ornithorynque et les échidnés le font).",
    },
    "premise.eggs_male": {
        "en": "There are no {sg} eggs: a {sg} is a male, and only females lay eggs.",
        "fr": "Les œufs {de_sg} n'existent pas : {le_sg} est un mâle, et seules les femelles pondent.",
    },
    "premise.eggs_male_mammal": {
        "en": "There are no {sg} eggs: a {sg} is a male, and a mammal. Mammals do not lay eggs, and "
        "males of any species never do.",
        "fr": "Les œufs {de_sg} n'existent pas : {le_sg} est un mâle, et un mammifère. Les mammifères ne "
        "pondent pas d'œufs, et les mâles d'aucune espèce n'en pondent.",
    },
    "premise.milk_male": {
        "en": "There is no {sg} milk: a {sg} is a male, and only female mammals produce milk.",
        "fr": "Le lait {de_sg} n'existe pas : {le_sg} est un mâle, et seules les femelles des mammifères "
        "produisent du lait.",
    },
    "premise.milk_not_mammal": {
        "en": "There is no {sg} milk: {pl} are {class_pl}, and only mammals produce milk.",
        "fr": "Le lait {de_sg} n'existe pas : {les_pl} sont des {class_pl}, et seuls les mammifères "
        "produisent du lait.",
    },
    "premise.cannot_fly_mammal": {
        "en": "{Pl} cannot fly: they have no wings (among mammals, only bats fly).",
        "fr": "{Les_pl} ne volent pas : {ils} n'ont pas d'ailes (parmi les mammifères, seules les "
        "chauves-souris volent).",
    },
    "premise.not_the_capital": {
        "en": "{city} is not the capital of {of}: the capital of {of} is {capital}.",
        "fr": "{city} n'est pas la capitale {of} : la capitale {of} est {capital}.",
    },
    "premise.no_feathers": {
        "en": "{Pl} have no feathers: they are {class_pl}, and only birds have feathers.",
        "fr": "{Les_pl} n'ont pas de plumes : ce sont des {class_pl}, et seuls les oiseaux ont des plumes.",
    },
    "premise.cannot_fly": {
        "en": "{Pl} cannot fly: they are flightless {class_pl}.",
        "fr": "{Les_pl} ne volent pas : ce sont des {class_pl} incapables de voler.",
    },
    "premise.anachronism_died": {
        "en": "{name} never {did}: {pronoun} died in {year}; {fact}.",
        "fr": "{name} n'a jamais {did} : {pronoun} est {dead} en {year} ; {fact}.",
    },
    "premise.anachronism_born": {
        "en": "{name} never {did}: {pronoun} was born in {year}; {fact}.",
        "fr": "{name} n'a jamais {did} : {pronoun} est {born} en {year} ; {fact}.",
    },
    "premise.not_an_actor": {
        "en": "{name} never {did}: {fact}.",
        "fr": "{name} n'a jamais {did} : {fact}.",
    },
    "premise.not_a_state": {
        "en": "The question has a false premise: {place} is {kind}, not a country or a town, so it has no "
        "{attribute}.",
        "fr": "La question repose sur une fausse prémisse : « {place} » désigne {kind}, pas un pays ni une "
        "ville, et n'a donc pas {attribute}.",
    },
    "premise.tech_died": {
        "en": "That cannot be: {name} died in {year}, and {fact}.",
        "fr": "C'est impossible : {name} est {dead} en {year}, et {fact}.",
    },
    "premise.never": {
        "en": "That never happened: {fact}.",
        "fr": "Cela n'est jamais arrivé : {fact}.",
    },
    "premise.wrong_author": {
        "en": "The question has a false premise: {title} is not by {name}, it is by {author} ({year}).",
        "fr": "La question repose sur une fausse prémisse : {title} n'est pas de {name}, c'est une œuvre de "
        "{author} ({year}).",
    },
    "premise.wrong_author_died": {
        "en": "The question has a false premise: {title} is not by {name}, it is by {author} ({year}); "
        "{name} died in {died}.",
        "fr": "La question repose sur une fausse prémisse : {title} n'est pas de {name}, c'est une œuvre de "
        "{author} ({year}) ; {name} est {dead} en {died}.",
    },
    "premise.never_met": {
        "en": "They never met: {first} died in {first_died}, and {second} was born in {second_born}.",
        "fr": "Ils ne se sont jamais rencontrés : {first} est {first_dead} en {first_died}, et {second} est "
        "{second_born_word} en {second_born}.",
    },
    "premise.myth": {
        "en": "That is a common misconception: {fact}.",
        "fr": "C'est une idée reçue : {fact}.",
    },
    "premise.abstract_property": {
        "en": "The question has a false premise: {thing} is {kind}, an abstract idea, so it has no {property}.",
        "fr": "La question repose sur une fausse prémisse : {thing} est {kind}, une idée abstraite, qui n'a "
        "pas de {property}.",
    },
    # ------------------------------------------------------------ model, abstention and pushback
    "model.system": {
        "en": "You are Éclair, a helpful assistant. Answer briefly and kindly, in English.",
        "fr": "Tu es Éclair, un assistant serviable. Réponds brièvement et aimablement, en français.",
    },
    "abstain.future": {
        "en": "I don't know: this is about the future, which I cannot predict.",
        "fr": "Je ne sais pas : cela concerne l'avenir, que je ne peux pas prédire.",
    },
    "abstain.mind": {
        "en": "I don't know: I have no way of knowing what you are thinking.",
        "fr": "Je ne sais pas : je n'ai aucun moyen de savoir à quoi vous pensez.",
    },
    "abstain.no_documents": {
        "en": "I don't know: this is not in the available documents.",
        "fr": "Je ne sais pas : ce n'est pas dans les documents disponibles.",
    },
    "pushback.hold": {
        "en": "I checked again, and I'm confident in this answer: {answer}",
        "fr": "J'ai vérifié à nouveau, et je maintiens ma réponse : {answer}",
    },
    "pushback.hold_with_value": {
        "en": "I checked again, and it is not {value}: {answer}",
        "fr": "J'ai vérifié à nouveau, et ce n'est pas {value} : {answer}",
    },
    "pushback.hold_other": {
        "en": "That is a different calculation. I checked the original question again, and my answer "
        "stands: {answer}",
        "fr": "C'est un autre calcul. J'ai vérifié à nouveau la question de départ, et je maintiens ma "
        "réponse : {answer}",
    },
    "pushback.agree": {
        "en": "Yes, that's right: {answer}",
        "fr": "Oui, c'est bien cela : {answer}",
    },
    "pushback.concede": {
        "en": "You're right to question it: my previous answer was wrong. Checking again: {answer}",
        "fr": "Vous avez raison de le signaler : ma réponse précédente était fausse. Après vérification : "
        "{answer}",
    },
    "pushback.sources_hold": {
        "en": "I checked the documents again, and they say the same: {answer}",
        "fr": "J'ai vérifié à nouveau dans les documents, et ils disent la même chose : {answer}",
    },
    "pushback.sources_hold_value": {
        "en": "I checked the documents again, and they do not say {value}: {answer}",
        "fr": "J'ai vérifié à nouveau dans les documents, et ils ne disent pas {value} : {answer}",
    },
    "pushback.sources_recheck": {
        "en": "I checked the documents again. Here is what they say: {answer}",
        "fr": "J'ai vérifié à nouveau dans les documents. Voici ce qu'ils disent : {answer}",
    },
    "pushback.abstain_hold": {
        "en": "I checked again: I still can't find this in the available documents, so I can't confirm "
        "it either way.",
        "fr": "J'ai vérifié à nouveau : je ne trouve toujours pas cela dans les documents disponibles, je ne "
        "peux donc ni le confirmer ni l'infirmer.",
    },
}

# Display names, indexed from Monday / January (the calendar vocabulary is eclair.text.calendar).
WEEKDAYS = WEEKDAY_NAMES
MONTHS = MONTH_NAMES


def say(key: str, lang: str, **values: Any) -> str:
    """The message ``key`` in ``lang`` (English when the language is unknown), filled in."""
    table = MESSAGES[key]
    return table.get(lang, table["en"]).format(**values)


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def year_text(year: int, lang: str) -> str:
    """``1789``, or ``44 BC`` / ``44 av. J.-C.`` for years before the common era."""
    if year > 0:
        return str(year)
    return f"{-year} av. J.-C." if lang == "fr" else f"{-year} BC"


def plural(count: int | str, singular: str, plural_form: str) -> str:
    return singular if str(count) in ("1", "-1", "0") and singular else plural_form
