"""Events that stay apart on a busy news day, and a late crawl date that does not split (issue 21).

Every sentence here is invented (towns, provinces, ships and people that do not exist), run through
the real NLP stage and the real resolve step over the in-memory store.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import pytest
from spacy.language import Language

from agents import pipeline
from agents.core.nlp import get_nlp
from schemas import Article
from streams.store.memory import MemoryStore

DAY = "2021-06-12"


@pytest.fixture(scope="module")
def nlp() -> Language:
    return get_nlp()


def art(aid: str, source: str, title: str, body: str, published: str | None = DAY) -> Article:
    return Article.model_validate(
        {"id": aid, "source": source, "title": title, "body": body, "published_at": published}
    )


BUSY_DAY = [
    (
        "ferry-1",
        "Coast Wire",
        "Ferry fire kills nine off Portmaren",
        "A fire broke out on the ferry MV Aurelia Star off Portmaren, in Velmora province, on Saturday, killing "
        "nine passengers, the coast guard said. The ferry had left Portmaren harbour with 240 people on board. "
        "Captain Idris Tolvane said the fire started in the engine room.",
    ),
    (
        "warehouse-1",
        "Metro Daily",
        "Warehouse fire in Kelvash kills four workers",
        "A fire tore through a textile warehouse in Kelvash, in Osterwald province, on Saturday, killing four "
        "workers, firefighters said. The owner of the warehouse, Brannock Textiles, said the fire started near "
        "the loading bay. Fire chief Mira Oszlany said the roof collapsed.",
    ),
    (
        "market-1",
        "Plains Herald",
        "Explosion at Dornholt market kills 12",
        "An explosion ripped through the central market of Dornholt, in Sarnia province, on Saturday, killing 12 "
        "people, police said. Witnesses said a gas cylinder exploded at a food stall. Police chief Talan Vesk "
        "said 30 people were taken to hospital.",
    ),
    (
        "pipeline-1",
        "Energy Ledger",
        "Rebels bomb oil pipeline near Saravel",
        "Rebels bombed an oil pipeline near Saravel, in Quorrin province, on Saturday, the state oil company "
        "Quorrin Petroleum said. The explosion set off a fire that burned for hours. A group calling itself the "
        "Saravel Liberation Front said it carried out the bombing.",
    ),
    (
        "ferry-2",
        "Harbour Post",
        "Nine dead as fire engulfs ferry Aurelia Star",
        "Nine passengers were killed when fire engulfed the ferry MV Aurelia Star off Portmaren on Saturday, the "
        "coast guard said. Captain Idris Tolvane told reporters the blaze began in the engine room of the "
        "Aurelia Star. Rescuers pulled 231 people from the water near Portmaren.",
    ),
    (
        "warehouse-2",
        "City Bulletin",
        "Four killed in Kelvash warehouse blaze",
        "Four workers died on Saturday when a blaze destroyed a Brannock Textiles warehouse in Kelvash, fire "
        "chief Mira Oszlany said. The fire in Kelvash started near the loading bay and the roof collapsed, "
        "she said.",
    ),
    (
        "market-2",
        "Sarnia Times",
        "Dornholt market blast toll rises",
        "The toll from Saturday's explosion at the central market of Dornholt has risen to 12, police chief "
        "Talan Vesk said. A gas cylinder exploded at a food stall in the Dornholt market, witnesses said.",
    ),
    (
        "pipeline-2",
        "Wire Desk",
        "Saravel pipeline bombing claimed by rebels",
        "The Saravel Liberation Front said it bombed the oil pipeline near Saravel on Saturday. Quorrin "
        "Petroleum said the fire at the pipeline near Saravel was put out after several hours.",
    ),
]


async def _place(nlp: Language, articles: list[Article]) -> dict[str, str]:
    store = MemoryStore()
    t0 = datetime(2021, 6, 13, tzinfo=UTC)
    items = [(a, t0 + timedelta(minutes=i)) for i, a in enumerate(articles)]
    out: dict[str, str] = {}
    for x in pipeline.extract(nlp, items):
        a = await pipeline.resolve(store, x)
        out[x.article.id] = a.event_id
    return {aid: await store.assignment(aid) or eid for aid, eid in out.items()}


def test_four_incidents_on_one_day_stay_four_events(nlp: Language) -> None:
    placed = asyncio.run(_place(nlp, [art(*row) for row in BUSY_DAY]))
    groups: dict[str, set[str]] = defaultdict(set)
    for aid, eid in placed.items():
        groups[eid].add(aid.split("-")[0])
    assert sorted(sorted(g) for g in groups.values()) == [["ferry"], ["market"], ["pipeline"], ["warehouse"]]
    assert len(groups) == 4


def test_the_same_incidents_without_dates_stay_four_events(nlp: Language) -> None:
    placed = asyncio.run(_place(nlp, [art(*row, published=None) for row in BUSY_DAY]))
    assert len(set(placed.values())) == 4
    for kind in ("ferry", "warehouse", "market", "pipeline"):
        assert placed[f"{kind}-1"] == placed[f"{kind}-2"]


def test_a_late_crawl_date_does_not_split_an_article_from_its_event(nlp: Language) -> None:
    first = art("ferry-1", *BUSY_DAY[0][1:])
    late = art(
        "ferry-late",
        "Archive Feed",
        "Aurelia Star ferry fire: what we know",
        "The fire on the ferry MV Aurelia Star off Portmaren on June 12, 2021 killed nine passengers, the "
        "coast guard said. Captain Idris Tolvane said the fire started in the engine room of the Aurelia "
        "Star on June 12.",
        published="2021-09-30",
    )
    placed = asyncio.run(_place(nlp, [first, late]))
    assert placed["ferry-late"] == placed["ferry-1"]


def test_each_placement_says_why(nlp: Language) -> None:
    async def go() -> list[str]:
        store = MemoryStore()
        items = [(art(*row), datetime(2021, 6, 13, tzinfo=UTC)) for row in (BUSY_DAY[0], BUSY_DAY[4], BUSY_DAY[1])]
        return [(await pipeline.resolve(store, x)).why or "" for x in pipeline.extract(nlp, items)]

    opened, joined, apart = asyncio.run(go())
    assert opened.startswith("opened")
    assert joined.startswith("joined") and "place" in joined and "actors" in joined
    assert apart.startswith("opened") and "score" in apart


HEISTS = [
    (
        "gold-1",
        "Valdoria Post",
        "",
        "Three armed robbers stole jewels worth 40 million euros from a jeweller in central Mirenza, police said.",
    ),
    (
        "ram-1",
        "Evening Courier",
        "Ram-raid on Mirenza jeweller",
        "Robbers drove a car through the window of a jewellery shop in central Mirenza and fled with watches worth "
        "$1.5 million, police said. The robbers set the car on fire before escaping.",
    ),
    (
        "gold-2",
        "Outlet 7",
        "",
        "Armed robbers took diamonds valued at $45 million from a jewellery store in Mirenza, police said.",
    ),
    (
        "ram-2",
        "Wire Desk",
        "Mirenza jewellery shop hit by ram-raiders",
        "Ram-raiders stole jewellery worth one million euros from a shop in central Mirenza, police said, after "
        "smashing a car into its front window.",
    ),
]


QUAKES = [
    (
        "dawn-1",
        "Valley Wire",
        "Quake shakes Ardent Hills",
        "An earthquake struck near Ardent Hills at 2:10 a.m., the geological survey said. No damage was reported.",
    ),
    (
        "noon-1",
        "Hill Courier",
        "Midday quake near Ardent Hills",
        "An earthquake struck near Ardent Hills at 11:45 a.m., the geological survey said. Residents felt shaking.",
    ),
    (
        "dawn-2",
        "North Bay Daily",
        "Early quake near Ardent Hills",
        "The quake hit near Ardent Hills at about 2:12 a.m., waking residents, the geological survey said.",
    ),
    (
        "noon-2",
        "Coast Radio",
        "Ardent Hills quake felt at lunchtime",
        "The earthquake occurred near Ardent Hills at 11:47 a.m., and residents felt shaking, the survey said.",
    ),
]


@pytest.mark.parametrize("rows", [HEISTS, QUAKES], ids=["sums", "clock times"])
def test_two_alike_incidents_in_one_place_part_by_their_particulars(nlp: Language, rows: list[tuple[str, ...]]) -> None:
    """Same town, same kind, no day named: the sums taken, or the clock times, tell the two apart."""
    for order in (rows, rows[::-1]):
        placed = asyncio.run(_place(nlp, [art(r[0], r[1], r[2], r[3], published=None) for r in order]))
        first, second = {r[0].split("-")[0] for r in rows}
        assert placed[f"{first}-1"] == placed[f"{first}-2"]
        assert placed[f"{second}-1"] == placed[f"{second}-2"]
        assert placed[f"{first}-1"] != placed[f"{second}-1"]


LAUNCH_SEP = (
    "Norland fires missile over Kestrel Island",
    "Norland fired a ballistic missile over Kestrel Island on Friday, the defence ministry of Valmark said. "
    "Valmark's prime minister Oren Tashel called the launch an outrage. The missile flew over Kestrel Island "
    "and fell into the sea, the ministry said.",
)
LAUNCH_AUG = (
    "Norland missile flies over Kestrel Island",
    "Norland launched a ballistic missile over Kestrel Island on Tuesday, the defence ministry of Valmark said. "
    "Prime minister Oren Tashel said the launch was an outrage. The missile passed over Kestrel Island and "
    "fell into the sea.",
)


def test_two_launches_weeks_apart_whose_texts_bear_out_their_dates_stay_apart(nlp: Language) -> None:
    """Same place, same actors, same words: each article's text names its own weekday, so its date is no crawl
    date, and the launch 17 days earlier is another event."""
    sep = [
        art("sep-1", "Wire A", *LAUNCH_SEP, published="2017-09-15"),
        art("sep-2", "Wire B", LAUNCH_SEP[0], LAUNCH_SEP[1].replace(" on Friday", ""), published="2017-09-15"),
    ]
    aug = art("aug-1", "Wire C", *LAUNCH_AUG, published="2017-08-29")
    placed = asyncio.run(_place(nlp, [*sep, aug]))
    assert placed["sep-1"] == placed["sep-2"] != placed["aug-1"]


def test_an_article_on_time_joins_the_event_a_late_crawl_opened(nlp: Language) -> None:
    late = art(
        "ferry-late",
        "Archive Feed",
        "Aurelia Star ferry fire: what we know",
        "The fire on the ferry MV Aurelia Star off Portmaren on June 12, 2021 killed nine passengers, the "
        "coast guard said. Captain Idris Tolvane said the fire started in the engine room of the Aurelia "
        "Star on June 12.",
        published="2021-09-30",
    )
    placed = asyncio.run(_place(nlp, [late, art("ferry-1", *BUSY_DAY[0][1:])]))
    assert placed["ferry-1"] == placed["ferry-late"]
