"""Every cue word list of claim extraction, in one place (the sentence selector reads them too)."""

from __future__ import annotations

import re

# ---- quantities -----------------------------------------------------------------------------
QUALIFIERS: dict[str, str] = {
    "at least": "ge", "no fewer than": "ge", "no less than": "ge", "a minimum of": "ge",
    "more than": "gt", "over": "gt", "upwards of": "gt", "in excess of": "gt", "above": "gt",
    "nearly": "lt_approx", "almost": "lt_approx", "close to": "lt_approx", "just under": "lt_approx",
    "up to": "le", "as many as": "le", "at most": "le", "no more than": "le",
    "fewer than": "lt", "less than": "lt", "under": "lt",
    "about": "approx", "around": "approx", "approximately": "approx", "roughly": "approx", "some": "approx",
    "an estimated": "approx", "estimated": "approx", "an approximate": "approx",
    "another": "another", "a further": "another", "an additional": "another",
}
VAGUE = {"dozens", "scores", "hundreds", "thousands", "several", "dozen", "handful", "many", "numerous"}
MULTIPLIERS = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
}


VAGUE_RANGES: dict[str, tuple[float, float | None]] = {
    "dozen": (12, 12), "a dozen": (12, 12), "dozens": (24, None), "scores": (40, None), "hundreds": (200, None),
    "thousands": (2000, None), "hundreds of thousands": (200_000, None), "tens of thousands": (20_000, None),
    "thousands of thousands": (2_000_000, None), "millions": (2_000_000, None), "several": (3, None),
    "handful": (2, 9), "a handful": (2, 9), "many": (2, None),
    "numerous": (2, None),
}


FRAMES: dict[str, str] = {
    # verbs
    "kill": "killed", "die": "killed", "perish": "killed", "slay": "killed", "murder": "killed",
    "massacre": "killed", "behead": "killed", "execute": "killed",
    "injure": "injured", "wound": "injured", "hurt": "injured", "maim": "injured",
    "hospitalise": "hospitalised", "hospitalize": "hospitalised",
    "arrest": "arrested", "detain": "arrested",
    # adjectival complements ("24 dead", "leaving 14 missing")
    "dead": "killed", "killed": "killed", "injured": "injured", "wounded": "injured", "missing": "missing",
    "hospitalised": "hospitalised", "hospitalized": "hospitalised", "arrested": "arrested",
    # nouns counted directly ("six deaths")
    "death": "killed", "fatality": "killed", "injury": "injured",
}


HOSPITAL_VERBS = {"take", "rush", "admit", "treat", "send", "airlift", "transport", "carry", "ferry", "be", "remain"}


TOLL_NOUNS = {"toll"}


TOLL_VERBS = {"rise", "climb", "reach", "stand", "put", "bring", "increase", "jump", "hit", "raise", "be", "grow",
              "mount", "soar", "estimate", "place", "set"}


ATTACKER_NOUNS = {"attacker", "assailant", "gunman", "gunmen", "bomber", "shooter", "perpetrator", "hijacker",
                  "militant", "fighter", "terrorist", "jihadist", "insurgent", "suspect"}


STRICT_ATTACKERS = {"attacker", "assailant", "gunman", "gunmen", "bomber", "shooter", "perpetrator", "hijacker"}


ATTACK_VERBS = {"carry", "take", "attack", "storm", "open", "launch", "stage", "conduct", "blow", "detonate",
                "be", "involve", "participate", "raid", "ram", "shoot", "fire", "strike", "enter", "infiltrate"}


SUBGROUPS = {"child", "children", "girl", "boy", "woman", "women", "man", "men", "officer", "policeman",
             "policemen", "police", "soldier", "troop", "civilian", "student", "passenger", "tourist", "foreigner",
             "national", "worker", "firefighter", "teenager", "baby", "infant", "pupil", "staff", "employee",
             "guard", "member", "citizen", "resident", "pilgrim", "worshipper", "protester", "demonstrator",
             "driver", "family", "relative", "villager", "miner", "crew", "journalist", "cop", "agent"}


GENERIC_PEOPLE = {"people", "person", "persons", "other", "others", "victim", "life", "body", "individual",
                  "more", "dead", "death", "fatality", "injury"}


NON_PEOPLE = {"year", "day", "hour", "minute", "second", "week", "month", "time", "km", "kilometre", "kilometer",
              "mile", "metre", "meter", "foot", "feet", "percent", "per", "dollar", "euro", "pound", "round",
              "shot", "bullet", "car", "vehicle", "building", "house", "home", "office", "village", "floor",
              "room", "storey", "story", "mph", "degree", "magnitude", "point", "page", "tram", "truck", "bus",
              "aftershock", "quake", "earthquake", "blast", "explosion", "attack", "raid", "strike", "bomb",
              "incident", "case", "complaint", "report", "girl_release", "gate", "seat", "line", "stop"}


DAMAGE_NOUNS = {"village", "house", "home", "building", "mosque", "school", "church", "shop", "bridge", "road"}


DAMAGE_VERBS = {"damage": "damaged", "destroy": "destroyed", "flatten": "destroyed", "collapse": "destroyed",
                "raze": "destroyed", "affect": "affected", "hit": "affected", "level": "destroyed"}


WAR_NOUNS = {"war", "conflict", "insurgency", "campaign", "uprising", "crisis", "revolution", "occupation"}


SPEECH = {"say", "tell", "report", "announce", "confirm", "state", "add", "claim", "estimate", "put", "quote",
          "cite", "write", "tweet", "warn", "insist", "explain", "reveal", "note", "show", "indicate", "declare",
          "suggest", "believe", "think", "accord", "record", "count", "give", "tally", "place"}


HEDGE_RE = re.compile(
    r"\b(reportedly|allegedly|believed to|thought to|said to (?:be|have)|feared|unconfirmed|some reports|"
    r"reports (?:say|said|suggest)|reported to (?:be|have)|may have|might have|could have|possibly|apparently|"
    r"suspected(?! of)|it is understood|unverified|appeared to)\b",
    re.I,
)


OTHER_TIME_RE = re.compile(
    r"\b(?:(?:last|previous|past) (?:\w+ )?(?:years?|months?|weeks?|decades?|summer|winter|spring|autumn)|"
    r"earlier this (?:year|month)|"
    r"(?:\w+ )?(?:years?|months?|decades?) (?:ago|earlier)|in the past|since (?:19|20)\d\d|since the start|"
    r"so far this year|(?:that|the same|the previous|the following) year|the year before|"
    r"in (?:19|20)\d\d|of (?:19|20)\d\d)\b",
    re.I,
)


YEAR_RE = re.compile(r"\b(19|20)\d\d\b")


INCIDENT_WORDS = {"attack", "blast", "explosion", "bombing", "shooting", "crash", "derail", "derailment", "strike",
                  "struck", "hit", "quake", "earthquake", "tremor", "drove", "drive", "plough", "plow", "ram",
                  "overturn", "collide", "collision", "assault", "happen", "occur", "atrocity", "massacre",
                  "rampage", "sink", "capsize", "erupt", "rock", "jolt", "accident", "incident"}


SERIES_RE = re.compile(r"\b(?<!smaller )(?<!small )(?<!minor )(?:quakes|earthquakes|tremors|"
                       r"series of (?:\w+ )?(?:quakes|earthquakes|tremors|attacks|"
                       r"blasts|explosions)|(?:first|second|third|latest|another) (?:\w+ ){0,2}"
                       r"(?:quake|earthquake|tremor)|aftershocks?)\b", re.I)


WIDER_RE = re.compile(r"\b(?:in|during|amid) (?:the )?(?:\w+ )?(?:riots?|violence|protests?|clashes|unrest|"
                      r"demonstrations?|fighting|war|conflict|crackdown|insurgency)\b", re.I)


OTHER_INCIDENT_RE = re.compile(
    r"\b(?:in (?:the )?neighbou?ring|elsewhere in|(?:a |an )?(?:similar|previous|earlier|prior|separate) (?:\w+ )?"
    r"(?:attacks?|bombings?|crash(?:es)?|quakes?|earthquakes?|shootings?|incidents?|disasters?|tsunamis?|"
    r"explosions?|blasts?|raids?|strikes?|accidents?))\b", re.I)


MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december"]


INCIDENT_NOUNS = {"attack", "bombing", "blast", "explosion", "strike", "airstrike", "raid", "quake", "earthquake",
                  "crash", "shooting", "fire", "collision", "derailment", "tremor", "tsunami", "storm", "flood",
                  "massacre", "ambush", "assault", "accident", "incident", "landslide", "stampede"}


SUBSET_WORDS = {"whom", "which", "them", "those", "these", "us", "whose"}


TALLY_NOUNS = {"number", "total", "tally", "count", "figure"}


SEVERE_RE = re.compile(r"\b(?:critical(?:ly)?|serious(?:ly)?|severe(?:ly)?|grave(?:ly)?|bad(?:ly)?|life-threatening)\b",
                     re.I)


LIGHT_RE = re.compile(r"\b(?:slight(?:ly)?|light(?:ly)?|minor)\b", re.I)


ATTACK_NOUNS = {"attack", "attacks", "bombing", "bombings", "assault", "blast", "blasts", "explosion", "shooting",
                 "massacre", "killing", "killings", "operation", "raid", "atrocity", "rampage"}


TIME_ZONES = {"gmt": 0, "utc": 0, "bst": 1, "cet": 1, "cest": 2, "edt": -4, "est": -5, "pdt": -7, "pst": -8}


BEARINGS = {"north": 0, "northeast": 45, "north-east": 45, "east": 90, "southeast": 135, "south-east": 135,
         "south": 180, "southwest": 225, "south-west": 225, "west": 270, "northwest": 315, "north-west": 315,
         "north-northeast": 22, "east-northeast": 67, "east-southeast": 112, "south-southeast": 157,
         "south-southwest": 202, "west-southwest": 247, "west-northwest": 292, "north-northwest": 337}


MONTHS = {m: i + 1 for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                             "september", "october", "november", "december"])}


WEAPONS: dict[str, str] = {
    "gun": "firearm", "rifle": "firearm", "pistol": "firearm", "handgun": "firearm", "gunfire": "firearm",
    "firearm": "firearm", "kalashnikov": "firearm", "ak-47": "firearm", "shotgun": "firearm", "machine-gun": "firearm",
    "bomb": "explosive", "explosive": "explosive", "vest": "explosive", "belt": "explosive", "grenade": "explosive",
    "ied": "explosive", "device": "explosive", "mortar": "explosive", "rocket": "explosive", "missile": "missile",
    "knife": "knife", "machete": "knife", "axe": "knife", "petrol bomb": "incendiary", "molotov": "incendiary",
    "firebomb": "incendiary", "fire-bomb": "incendiary", "truck": "vehicle", "lorry": "vehicle", "van": "vehicle",
    "car": "vehicle", "bus": "vehicle", "tram": "vehicle", "train": "vehicle", "ship": "vessel", "boat": "vessel",
    "ferry": "vessel", "barge": "vessel", "plane": "aircraft", "aircraft": "aircraft", "helicopter": "aircraft",
}


WEAPON_CUES = {"with", "using", "wielding", "armed", "detonate", "blow", "throw", "hurl", "fire", "plant", "drive",
                "ram", "plough", "plow", "carry", "explode"}


TARGET_VERBS = {"attack", "storm", "target", "bomb", "raid", "hit", "strike", "ram", "torch", "besiege"}


# ---- open quantities: relations, units, currencies ------------------------------------------------
RELATIONS: dict[str, str] = {
    # things taken from the perpetrators
    "seize": "seized", "confiscate": "seized", "recover": "seized", "find": "seized", "impound": "seized",
    "discover": "seized", "retrieve": "seized", "uncover": "seized",
    # people taken into custody
    "arrest": "arrested", "detain": "arrested", "apprehend": "arrested", "capture": "arrested", "nab": "arrested",
    "surrender": "arrested", "catch": "arrested", "jail": "arrested", "hold": "arrested",
    # things taken by the perpetrators
    "steal": "stolen", "snatch": "stolen", "rob": "stolen", "loot": "stolen", "grab": "stolen", "pilfer": "stolen",
    "swipe": "stolen", "lift": "stolen", "nick": "stolen",
    # people brought out of danger
    "rescue": "rescued", "save": "rescued", "evacuate": "rescued", "free": "rescued", "airlift": "rescued",
}
"""Verb lemma -> relation class: outlets that write "seized", "confiscated" or "recovered" state one fact.
A verb not listed is its own relation."""
CUSTODY_OF_THINGS = {"arrested": "seized"}
"""A custody verb whose object is a thing, not a person ("captured three boats")."""
INCLUDE_VERBS = {"include", "comprise", "consist", "number", "total"}
"""Verbs that break a figure down ("those arrested included 12 Somalis"): the relation is the subject's."""
OTHER_WORDS = {"other", "additional", "further", "extra", "more"}
"""A counted thing with one of these is a figure of its own ("three other rifles", besides the ones named)."""
PEOPLE_NOUNS = {
    "people", "person", "man", "men", "woman", "women", "child", "children", "pirate", "crew", "crewmember",
    "crewman", "sailor", "fisherman", "fishermen", "suspect", "robber", "thief", "thieves", "bandit", "gunman",
    "gunmen", "militant", "fighter", "soldier", "officer", "policeman", "passenger", "hostage", "captive",
    "student", "worker", "resident", "tourist", "migrant", "refugee", "prisoner", "civilian", "member", "attacker",
    "assailant", "brigand", "personnel", "commando", "guard", "victim", "survivor", "employee", "staff",
    "smuggler", "trafficker", "poacher", "national", "citizen", "protester", "demonstrator", "rioter",
    "looter", "hijacker", "kidnapper", "insurgent", "rebel", "jihadist", "terrorist",
}
CUMULATIVE_RE = re.compile(
    r"\b(?:so far|to date|in total|altogether|cumulative|in all|(?:this|last|the past|the previous) (?:year|month|"
    r"decade)|since (?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"(?:19|20)\d\d|its|their|the start)|(?:[a-z]+|\d+) (?:operations|missions|raids|attacks|incidents|cases))\b",
    re.I,
)
"""A figure over several incidents or a period ("in their five operations so far"), not this incident's."""
BACKGROUND_RE = re.compile(
    r"\b(?:the (?:last|previous|latest|largest|biggest|strongest|deadliest|worst|most)\b[^.,;]{0,40}\b(?:ever|"
    r"recorded|on record|in history)|(?:maximum|max\.?|record|average|typical|usual|normal|legal limit|limit)\b|"
    r"(?:in|of) (?:the )?history)\b",
    re.I,
)
"""Records, limits and averages: figures that are not a report of this incident."""
MODALS = {"could", "would", "might", "may", "can", "should", "must", "will", "expect", "likely", "able", "capable"}
"""Auxiliaries and governors of what is possible or expected, not reported ("could carry 300 people")."""

UNITS: dict[str, tuple[str, float]] = {
    # length, in km
    "km": ("length", 1.0), "kms": ("length", 1.0), "kilometre": ("length", 1.0), "kilometer": ("length", 1.0),
    "kilometres": ("length", 1.0), "kilometers": ("length", 1.0),
    "mile": ("length", 1.609344), "miles": ("length", 1.609344), "mi": ("length", 1.609344),
    "nautical mile": ("length", 1.852), "nautical miles": ("length", 1.852), "nm": ("length", 1.852),
    "metre": ("length", 0.001), "meter": ("length", 0.001), "metres": ("length", 0.001), "meters": ("length", 0.001),
    "m": ("length", 0.001), "foot": ("length", 0.0003048), "feet": ("length", 0.0003048), "ft": ("length", 0.0003048),
    "yard": ("length", 0.0009144), "yards": ("length", 0.0009144), "inch": ("length", 0.0000254),
    "inches": ("length", 0.0000254), "cm": ("length", 0.00001), "centimetre": ("length", 0.00001),
    "centimeter": ("length", 0.00001), "centimetres": ("length", 0.00001), "centimeters": ("length", 0.00001),
    # speed, in km/h
    "mph": ("speed", 1.609344), "km/h": ("speed", 1.0), "kph": ("speed", 1.0), "knot": ("speed", 1.852),
    "knots": ("speed", 1.852), "kmh": ("speed", 1.0),
    # weight, in kg
    "kg": ("weight", 1.0), "kilogram": ("weight", 1.0), "kilograms": ("weight", 1.0), "kilo": ("weight", 1.0),
    "kilos": ("weight", 1.0), "tonne": ("weight", 1000.0), "tonnes": ("weight", 1000.0), "ton": ("weight", 1000.0),
    "tons": ("weight", 1000.0), "lb": ("weight", 0.4536), "lbs": ("weight", 0.4536), "gram": ("weight", 0.001),
    "grams": ("weight", 0.001),
    # area, in km2; volume, in litres
    "acre": ("area", 0.004047), "acres": ("area", 0.004047), "hectare": ("area", 0.01), "hectares": ("area", 0.01),
    "litre": ("volume", 1.0), "liter": ("volume", 1.0), "litres": ("volume", 1.0), "liters": ("volume", 1.0),
    "gallon": ("volume", 3.785), "gallons": ("volume", 3.785), "barrel": ("volume", 159.0),
    "barrels": ("volume", 159.0),
    # ratios
    "percent": ("percent", 1.0), "per cent": ("percent", 1.0), "%": ("percent", 1.0),
}
"""Unit -> (quantity, factor to the canonical unit): outlets in miles and in kilometres are compared."""
CANONICAL_UNITS = {"length": "km", "speed": "km/h", "weight": "kg", "area": "km2", "volume": "l", "percent": "%"}
DIMENSIONS: dict[str, str] = {
    "depth": "depth", "deep": "depth", "length": "length", "long": "length", "height": "height", "high": "height",
    "tall": "height", "width": "width", "wide": "width", "altitude": "altitude", "distance": "distance",
    "speed": "speed", "weight": "weight", "heavy": "weight", "diameter": "diameter", "radius": "radius",
    "range": "range", "size": "size", "area": "area", "elevation": "altitude", "away": "distance",
}
"""The words that say what a measure measures ("a depth of", "12 miles deep", "six miles away")."""
BELOW_WORDS = {"below", "beneath", "under", "underground"}
SURFACE_WORDS = {"surface", "ground", "sea", "seabed", "level", "earth"}
""""six miles below the surface": a depth."""
UNIT_DIMENSION = {"length": "size", "speed": "speed", "weight": "weight", "area": "area", "volume": "volume"}
"""What a unit measures when nothing else says ("a 10-metre dhow": the dhow's size)."""

CURRENCIES: dict[str, str] = {
    "$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD", "€": "EUR", "eur": "EUR",
    "euro": "EUR", "euros": "EUR", "£": "GBP", "gbp": "GBP", "pound": "GBP", "pounds": "GBP", "sterling": "GBP",
    "¥": "JPY", "yen": "JPY", "yuan": "CNY", "rmb": "CNY", "rupee": "INR", "rupees": "INR", "rs": "INR",
    "rand": "ZAR", "franc": "CHF", "francs": "CHF", "chf": "CHF", "ruble": "RUB", "rubles": "RUB", "roubles": "RUB",
    "naira": "NGN", "shilling": "KES", "shillings": "KES", "won": "KRW", "lira": "TRY", "dirham": "AED",
    "dirhams": "AED", "riyal": "SAR", "riyals": "SAR", "peso": "MXN", "pesos": "MXN", "a$": "AUD", "c$": "CAD",
    "hk$": "HKD", "s$": "SGD",
}
"""Currency word or sign -> ISO code. Sums in different currencies are never compared."""
MONEY_FRAMES: dict[str, str] = {
    "steal": "stolen", "snatch": "stolen", "rob": "stolen", "loot": "stolen", "grab": "stolen", "nab": "stolen",
    "lift": "stolen", "make": "stolen", "escape": "stolen", "flee": "stolen", "take": "stolen", "haul": "stolen",
    "heist": "stolen", "robbery": "stolen", "theft": "stolen", "raid": "stolen", "booty": "stolen",
    "loot_": "stolen", "burglary": "stolen", "swipe": "stolen", "pilfer": "stolen", "pinch": "stolen",
    "damage": "damage", "ransom": "ransom", "bail": "bail", "bond": "bail", "reward": "reward", "fine": "fine",
    "compensation": "compensation", "settlement": "settlement", "bounty": "reward",
}
"""Lemma in a sum's clause -> what the sum is (a sum with none of these is not compared)."""
UNCOUNTED = {
    "year", "day", "hour", "minute", "second", "week", "month", "decade", "century", "time", "times", "way",
    "thing", "part", "point", "page", "number", "percent", "per", "case", "piece", "kind", "type", "sort", "lot",
    "bit", "side", "end", "stage", "step", "round_", "degree", "magnitude", "grade", "level", "pm", "am", "p.m.",
    "a.m.", "o'clock", "share", "vote", "goal", "run", "inning", "game", "match", "seat", "term", "count",
    "million", "billion", "thousand", "hundred", "dozen", "score", "mark", "edition", "episode", "chapter",
}
"""Nouns that a number goes with but that are no thing of the incident to count ("two years", "three times")."""
GENERIC_VERBS = {"be", "have", "take", "get", "make", "give", "go", "come", "do", "put", "see", "say", "use", "leave",
                 "include", "become", "remain", "stay", "keep", "show", "bring", "follow", "involve", "need", "want"}
"""Verbs too general to tell one counted fact from another ("100,000 people took to the streets")."""
INTENT_VERBS = {"work", "try", "attempt", "seek", "plan", "hope", "want", "struggle", "labor", "labour", "scramble",
                "race", "rush", "prepare", "aim", "intend", "threaten", "vow", "promise", "offer", "propose"}
"""Governors of what is striven for, not done ("working to free two people")."""
GENERIC_PEOPLE_NOUNS = {"people", "person", "persons", "individual", "individuals", "one", "other", "others"}
SEIZED_NOUNS = {"cache": "seized", "haul": "seized", "seizure": "seized", "arsenal": "seized", "stash": "seized",
                "recovery": "seized", "booty": "stolen", "loot": "stolen", "catch": "seized"}
"""Nouns that stand for what was taken ("the cache included seven rifles")."""
PREP_CLASSES = {"in": "in", "on": "in", "aboard": "in", "onboard": "in", "inside": "in", "into": "into"}
"""Prepositions that state one relation ("pirates in two boats", "pirates on two boats")."""
COMPOUND_HEADS = ("boat", "ship", "craft", "car", "plane", "gun", "truck", "bus", "copter")
"""Heads of one-word compounds counted with their head ("speedboats" with "boats", "handguns" with "guns")."""
REVISION_RE = re.compile(r"\b(?:originally|initially|at first|first|earlier|previously|preliminary|provisional|"
                         r"upgraded|downgraded|revised|later)\b[^.;]{0,40}$", re.I)
"""Words before a figure that was later revised ("originally rated the quake as 4.4")."""
AGENT_RELATIONS = {"surrender": "arrested", "escape": "escaped", "flee": "escaped"}
"""Verbs whose subject is what the relation is about ("23 pirates surrendered": in custody)."""

# ---- names and descriptors -------------------------------------------------------------------------
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
TITLES = {"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "lord", "lady", "rev", "sgt", "sergeant", "capt",
          "captain", "lt", "lieutenant", "col", "colonel", "gen", "general", "maj", "major", "cmdr", "commander",
          "officer", "detective", "det", "inspector", "chief", "sheriff", "deputy", "president", "minister",
          "governor", "mayor", "senator", "rep", "judge", "justice", "prince", "princess", "king", "queen",
          "driver", "suspect", "victim", "pilot", "spokesman", "spokeswoman", "spokesperson", "father", "mother",
          "brother", "sister", "son", "daughter", "husband", "wife", "uncle", "aunt", "nephew", "niece", "cousin"}
"""Words before a name that are no part of it ("Sgt. John Smith", "Driver Anthony LaSalle")."""
NAME_STOPWORDS = {"the", "a", "an", "police", "officers", "he", "she", "they", "it", "his", "her", "their", "this",
                  "that", "we", "i", "you", "but", "and", "or", "in", "on", "at", "of", "for", "after", "before",
                  "when", "while", "as", "county", "department", "state", "city", "news", "reuters", "ap", "afp",
                  "associated", "press", "university", "hospital", "court", "street", "avenue", "road"}
"""Capitalised words that start sentences or name institutions, not people or places."""
NAMED_THINGS = {
    "boat": "vessel", "dhow": "vessel", "ship": "vessel", "vessel": "vessel", "craft": "vessel", "trawler": "vessel",
    "skiff": "vessel", "tanker": "vessel", "freighter": "vessel", "yacht": "vessel", "ferry": "vessel",
    "tug": "vessel", "barge": "vessel", "warship": "vessel", "frigate": "vessel", "submarine": "vessel",
    "plane": "aircraft", "aircraft": "aircraft", "jet": "aircraft", "helicopter": "aircraft", "drone": "aircraft",
    "operation": "operation", "mission": "operation", "exercise": "operation", "storm": "storm",
    "hurricane": "storm", "typhoon": "storm", "cyclone": "storm", "dog": "animal", "horse": "animal",
    "company": "company", "firm": "company", "group": "group", "cell": "group", "gang": "group", "band": "group",
    "victim": "victim", "suspect": "suspect", "driver": "driver", "gunman": "suspect", "attacker": "suspect",
    "shooter": "suspect", "bomber": "suspect", "pilot": "pilot", "captain": "captain",
}
"""Things that are given names ("a dhow named Salahuddin"), by kind: names are compared within a kind."""
COLOURS = {"white": "white", "black": "black", "red": "red", "blue": "blue", "green": "green", "yellow": "yellow",
           "grey": "grey", "gray": "grey", "silver": "silver", "gold": "gold", "golden": "gold", "brown": "brown",
           "orange": "orange", "purple": "purple", "pink": "pink", "beige": "beige", "maroon": "maroon",
           "tan": "tan", "burgundy": "burgundy", "navy": "navy", "teal": "teal", "turquoise": "turquoise",
           "cream": "cream", "charcoal": "grey", "bronze": "bronze", "champagne": "champagne"}
"""Colour words, spellings joined ("gray" = "grey")."""
COLOURED_THINGS = {"car", "van", "truck", "lorry", "suv", "sedan", "pickup", "jeep", "vehicle", "motorcycle",
                   "motorbike", "bike", "bicycle", "scooter", "bus", "taxi", "cab", "boat", "ship", "dhow",
                   "hatchback", "coupe", "minivan", "wagon", "camry", "corolla", "civic", "accord", "jacket",
                   "shirt", "hoodie", "coat", "hat", "cap", "mask", "bag", "backpack", "helmet", "trousers",
                   "pants", "jeans", "dress", "sweater", "sweatshirt", "tracksuit", "uniform", "balaclava", "vest",
                   "gloves", "shoes", "sneakers", "scarf", "headscarf", "turban", "wig", "flag", "smoke"}
"""Things whose colour is a checkable fact (vehicles, clothes): "a silver Toyota Camry", "a black hoodie"."""
SHIP_PREFIXES = {"INS", "USS", "HMS", "MV", "SS", "RV", "HMAS", "HMCS", "HMNZS", "FS", "MS", "MT", "USNS", "PNS",
                 "KRI", "BRP", "JS", "ROKS", "TCG", "SV", "FV"}
"""Prefixes of ship names ("INS Sukanya"): the words before them tell the ship's type."""
GENERIC_TYPES = {"ship", "vessel", "boat", "craft", "warship", "aircraft", "plane", "vehicle", "car", "unit",
                 "asset", "platform", "navy", "naval", "indian", "british", "american"}
"""Types that say no more than "a ship": compatible with any more precise type."""
HOMICIDE_GRADES = {"murder": "murder", "murdering": "murder", "manslaughter": "manslaughter"}
"""Charges that exclude each other for one death (murder or manslaughter, and their degrees)."""
DEGREES = {"first-degree": "1", "first degree": "1", "second-degree": "2", "second degree": "2",
           "third-degree": "3", "third degree": "3"}
FACT_CUES = re.compile(
    r"\b(?:" + "|".join(sorted(COLOURS)) + r")\b|\b(?:" + "|".join(sorted(SHIP_PREFIXES)) + r")\s+[A-Z]|"
    r",\s+(?:of|from)\s+[A-Z]|\b(?:liv(?:e|es|ed|ing)|resid(?:e|es|ed|ing)|resident|native)\b|\bcharge|"
    r"\b(?:arrested|held|booked|indicted)\s+(?:on|for)\b|\b(?:named|called|dubbed|christened|identified as)\s+"
    r"(?:the\s+)?[A-Z]|\b(?:murder|manslaughter)\b",
    re.I,
)
"""The entry test of the name and descriptor extractors, for the sentence selector (``agents.core.select``)."""
NO_DAY_VERBS = {"expect", "schedule", "plan", "face", "appear", "meet", "hold", "announce", "charge", "arraign",
                "return", "resume", "release", "publish", "update", "post", "hope", "begin", "start", "continue",
                "identify", "name", "confirm", "visit", "travel", "attend", "speak", "issue", "sentence", "bury",
                "file", "describe", "report", "scatter", "show", "see", "photograph", "picture", "gather"}
"""Verbs whose day is not the incident's ("charges are expected on Friday", "he will appear on Monday")."""
INCIDENT_VERBS = {"foil", "thwart", "prevent", "repel", "rescue", "launch", "fire", "explode", "erupt", "crash",
                  "happen", "occur", "hijack", "kidnap", "abduct", "capture", "storm", "shake", "rattle", "jolt",
                  "burn", "flood", "sink", "capsize", "derail", "overturn", "collide", "intercept", "attack"}
"""Verbs that tell of the incident itself, besides the casualty frames ("foiled an attack on Thursday")."""

# ---- origins ----------------------------------------------------------------------------------------
WIRES = {
    "ap": "AP", "associated press": "AP", "the associated press": "AP", "reuters": "Reuters", "afp": "AFP",
    "agence france-presse": "AFP", "agence france presse": "AFP", "pa": "PA", "press association": "PA",
    "pa media": "PA", "canadian press": "The Canadian Press", "the canadian press": "The Canadian Press",
    "cp": "The Canadian Press", "xinhua": "Xinhua", "dpa": "dpa", "ansa": "ANSA", "efe": "EFE", "kyodo": "Kyodo",
    "yonhap": "Yonhap", "upi": "UPI", "bloomberg": "Bloomberg", "cnn": "CNN", "tass": "TASS", "anadolu": "Anadolu",
    "aap": "AAP", "pti": "PTI", "ians": "IANS", "bernama": "Bernama", "antara": "Antara", "apa": "APA",
}
"""Wire services and agencies, by the names their credits use."""
NATURAL_HAZARDS = {"quake", "earthquake", "tremor", "temblor", "aftershock", "storm", "hurricane", "typhoon",
                   "cyclone", "flood", "tsunami", "wave", "landslide", "mudslide", "avalanche", "fire", "wildfire",
                   "blaze", "eruption", "drought", "tornado", "lightning", "rain", "snow", "wind", "heatwave"}
"""Incidents that strike without an attacker: what they hit is no target."""
