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


SERIES_RE = re.compile(r"\b(?:quakes|earthquakes|tremors|series of (?:\w+ )?(?:quakes|earthquakes|tremors|attacks|"
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
