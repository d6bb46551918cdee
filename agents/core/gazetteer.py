"""A small, general gazetteer: countries, their demonyms and capitals, and the first-level regions
of a few countries that news writes as "Town, State" (see issue 21).

Everything else an article says about where a place lies it says itself ("Woodburn, Oregon",
"Indonesia's Aceh province", "the Greek capital"): :mod:`agents.core.places` learns that per article.
Keys are the place keys of :func:`agents.core.features.entity_key` (lower case, no article).
"""

from __future__ import annotations

import functools
import re

# country | other names | demonyms | capital and big cities (all lower case, comma-separated)
_COUNTRIES = """
afghanistan||afghan|kabul,kandahar,herat
albania||albanian|tirana
algeria||algerian|algiers
angola||angolan|luanda
argentina||argentine,argentinian|buenos aires
armenia||armenian|yerevan
australia||australian|canberra,sydney,melbourne,brisbane,perth,adelaide
austria||austrian|vienna
azerbaijan||azerbaijani,azeri|baku
bahrain||bahraini|manama
bangladesh||bangladeshi|dhaka
belarus||belarusian|minsk
belgium||belgian|brussels,antwerp
bolivia||bolivian|la paz
bosnia|bosnia and herzegovina|bosnian|sarajevo
brazil||brazilian|brasilia,rio de janeiro,sao paulo
bulgaria||bulgarian|sofia
burkina faso||burkinabe|ouagadougou
burma|myanmar|burmese|naypyidaw,yangon,rangoon
cambodia||cambodian|phnom penh
cameroon||cameroonian|yaounde,douala
canada||canadian|ottawa,toronto,montreal,vancouver
chad||chadian|n'djamena
chile||chilean|santiago
china|prc,people's republic of china|chinese|beijing,shanghai,guangzhou,shenzhen,wuhan,chengdu
colombia||colombian|bogota,medellin
congo|drc,democratic republic of congo,democratic republic of the congo|congolese|kinshasa
costa rica||costa rican|san jose
croatia||croatian|zagreb
cuba||cuban|havana
cyprus||cypriot|nicosia
czech republic|czechia|czech|prague
denmark||danish|copenhagen
ecuador||ecuadorian|quito
egypt||egyptian|cairo,alexandria
el salvador||salvadoran|san salvador
eritrea||eritrean|asmara
estonia||estonian|tallinn
ethiopia||ethiopian|addis ababa
finland||finnish|helsinki
france||french|paris,marseille,lyon,nice,toulouse
georgia||georgian|tbilisi
germany||german|berlin,munich,hamburg,cologne,frankfurt
ghana||ghanaian|accra
greece||greek|athens,thessaloniki
guatemala||guatemalan|guatemala city
haiti||haitian|port-au-prince
honduras||honduran|tegucigalpa
hungary||hungarian|budapest
iceland||icelandic|reykjavik
india||indian|new delhi,delhi,mumbai,bombay,kolkata,chennai,bangalore,hyderabad
indonesia||indonesian|jakarta,surabaya,medan
iran||iranian|tehran
iraq||iraqi|baghdad,mosul,basra
ireland||irish|dublin
israel||israeli|jerusalem,tel aviv
italy||italian|rome,milan,naples
ivory coast|cote d'ivoire|ivorian|abidjan
jamaica||jamaican|kingston
japan||japanese|tokyo,osaka,kyoto
jordan||jordanian|amman
kazakhstan||kazakh|astana,almaty
kenya||kenyan|nairobi,mombasa
kosovo||kosovar|pristina
kuwait||kuwaiti|kuwait city
kyrgyzstan||kyrgyz|bishkek
laos||laotian|vientiane
latvia||latvian|riga
lebanon||lebanese|beirut
liberia||liberian|monrovia
libya||libyan|tripoli,benghazi
lithuania||lithuanian|vilnius
luxembourg||luxembourgish|
madagascar||malagasy|antananarivo
malawi||malawian|lilongwe
malaysia||malaysian|kuala lumpur
mali||malian|bamako,timbuktu
malta||maltese|valletta
mexico||mexican|mexico city,guadalajara,tijuana
moldova||moldovan|chisinau
mongolia||mongolian|ulaanbaatar
montenegro||montenegrin|podgorica
morocco||moroccan|rabat,casablanca
mozambique||mozambican|maputo
nepal||nepali,nepalese|kathmandu
netherlands|holland|dutch|amsterdam,the hague,rotterdam
new zealand||new zealander|wellington,auckland,christchurch
nicaragua||nicaraguan|managua
niger||nigerien|niamey
nigeria||nigerian|abuja,lagos,kano,maiduguri
north korea|dprk,democratic people's republic of korea|north korean|pyongyang
norway||norwegian|oslo
oman||omani|muscat
pakistan||pakistani|islamabad,karachi,lahore,peshawar,quetta
palestine|palestinian territories,west bank,gaza|palestinian|ramallah
panama||panamanian|panama city
papua new guinea||papua new guinean|port moresby
paraguay||paraguayan|asuncion
peru||peruvian|lima
philippines||filipino,philippine|manila
poland||polish|warsaw,krakow
portugal||portuguese|lisbon
qatar||qatari|doha
romania||romanian|bucharest
russia|russian federation|russian|moscow,saint petersburg,st. petersburg
rwanda||rwandan|kigali
saudi arabia||saudi|riyadh,jeddah,mecca
senegal||senegalese|dakar
serbia||serbian|belgrade
sierra leone||sierra leonean|freetown
singapore||singaporean|
slovakia||slovak|bratislava
slovenia||slovenian|ljubljana
somalia||somali,somalian|mogadishu
south africa||south african|pretoria,johannesburg,cape town,durban
south korea|republic of korea,korea|south korean|seoul,busan
south sudan||south sudanese|juba
spain||spanish|madrid,barcelona,seville,valencia
sri lanka||sri lankan|colombo
sudan||sudanese|khartoum
sweden||swedish|stockholm
switzerland||swiss|bern,zurich,geneva,basel
syria||syrian|damascus,aleppo,homs,raqqa
taiwan||taiwanese|taipei
tajikistan||tajik|dushanbe
tanzania||tanzanian|dodoma,dar es salaam
thailand||thai|bangkok
tunisia||tunisian|tunis
turkey|turkiye|turkish|ankara,istanbul,izmir
turkmenistan||turkmen|ashgabat
uganda||ugandan|kampala
ukraine||ukrainian|kiev,kyiv,kharkiv,odessa
united arab emirates|uae|emirati|abu dhabi,dubai
united kingdom|uk,britain,great britain,england,scotland,wales,northern ireland|british,english,scottish,welsh|london
united kingdom|||manchester,birmingham,glasgow,edinburgh,belfast
united states|us,usa,america,united states of america|american|washington,new york city,los angeles,chicago
uruguay||uruguayan|montevideo
uzbekistan||uzbek|tashkent
venezuela||venezuelan|caracas
vietnam|viet nam|vietnamese|hanoi,ho chi minh city
yemen||yemeni|sanaa,aden
zambia||zambian|lusaka
zimbabwe||zimbabwean|harare
"""

# country | region key: its abbreviations (lower case, comma-separated)
_REGIONS = """
united states|alabama:ala.|alaska:|arizona:ariz.|arkansas:ark.|california:calif.,cal.|colorado:colo.|connecticut:conn.
united states|delaware:del.|florida:fla.|georgia state:|hawaii:|idaho:|illinois:ill.|indiana:ind.|iowa:
united states|kansas:kan.,kans.
united states|kentucky:ky.|louisiana:la.|maine:|maryland:md.|massachusetts:mass.|michigan:mich.|minnesota:minn.
united states|mississippi:miss.|missouri:mo.|montana:mont.|nebraska:neb.,nebr.|nevada:nev.|new hampshire:n.h.
united states|new jersey:n.j.|new mexico:n.m.|new york:n.y.|north carolina:n.c.|north dakota:n.d.|ohio:|oklahoma:okla.
united states|oregon:ore.,oreg.|pennsylvania:pa.,penn.|rhode island:r.i.|south carolina:s.c.|south dakota:s.d.
united states|tennessee:tenn.|texas:tex.|utah:|vermont:vt.|virginia:va.|washington state:wash.|west virginia:w.va.
united states|wisconsin:wis.,wisc.|wyoming:wyo.|district of columbia:d.c.
canada|alberta:alta.|british columbia:b.c.|manitoba:man.|new brunswick:n.b.|newfoundland:|nova scotia:n.s.
canada|ontario:ont.|quebec:que.|saskatchewan:sask.
australia|new south wales:nsw|queensland:qld|victoria state:vic|south australia:|western australia:|tasmania:
"""


@functools.lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(name or alias -> country, demonym -> country, place -> parent) from the tables above."""
    names: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    parents: dict[str, str] = {}
    for line in _COUNTRIES.strip().splitlines():
        country, aliases, dems, cities = [*line.split("|"), "", "", ""][:4]
        names[country] = country
        for a in filter(None, aliases.split(",")):
            names.setdefault(a, country)
        for d in filter(None, dems.split(",")):
            demonyms.setdefault(d, country)
        for c in filter(None, cities.split(",")):
            parents.setdefault(c, country)
    for line in _REGIONS.strip().splitlines():
        country, *regions = line.split("|")
        for r in regions:
            key, _, abbrs = r.partition(":")
            key = key.removesuffix(" state")
            if key not in names:  # "georgia" the country, "washington" the capital stay what they are
                parents.setdefault(key, country)
            for a in filter(None, abbrs.split(",")):
                parents.setdefault(a, country)
                ABBREVIATIONS.setdefault(a, key)
    return names, demonyms, parents


ABBREVIATIONS: dict[str, str] = {}
"""Region abbreviations ("minn.", "ore.") -> the region's key (filled with the tables)."""


def country_of_name(key: str) -> str | None:
    """The country a place key names ("uk" -> "united kingdom"), or ``None``."""
    return _tables()[0].get(key)


def country_of_demonym(word: str) -> str | None:
    """The country of a demonym ("Indonesian" -> "indonesia"), or ``None``."""
    return _tables()[1].get(word.lower())


def known_parent(key: str) -> str | None:
    """What the lexicon says a place lies in (a capital or big city: its country; a region: its country)."""
    t = _tables()
    if key in t[0]:
        return None
    return t[2].get(key)


@functools.lru_cache(maxsize=1)
def region_names() -> frozenset[str]:
    """The places the lexicon knows below country level (regions, capitals, big cities)."""
    return frozenset(_tables()[2]) - frozenset(ABBREVIATIONS)


def region_key(abbreviation: str) -> str | None:
    """The region an abbreviation stands for ("Minn." -> "minnesota"), or ``None``."""
    _tables()
    return ABBREVIATIONS.get(abbreviation.lower())


_MACRO = re.compile(
    r"\b(?:ocean|sea|seas|gulf|bay|strait|hemisphere|continent|asia|europe|africa|america|americas|pacific|"
    r"atlantic|arctic|antarctica|antarctic|mediterranean|caribbean|middle east|balkans|peninsula|world|globe)\b"
)


def is_macro(key: str) -> bool:
    """Whether a place key names a sea, a continent or a part of the world ("indian ocean", "southeast
    asia"): where many unrelated incidents lie, so no evidence that two of them are apart."""
    return bool(_MACRO.search(key))


def is_country(key: str) -> bool:
    """Whether a place key is a country (after its aliases)."""
    return key in _tables()[0]
