"""A labelled news archive with known truth, for scoring story grouping (bench/stories.py).

Real labelled news-clustering sets cannot be fetched here, so this makes one, built to be hard in
the ways real coverage is hard:

- many happenings of the same kind (earthquakes, strikes, summits, fires…) that share most of
  their vocabulary, often in the same week;
- sequels: the same kind of happening in the same country with the same officials weeks or months
  later (a second strike by the same union, another round of talks) — another story;
- the same country's officials and background paragraphs appear in every story from that country;
- several outlets reword each story: different titles, sentence choices and order, synonyms,
  full names then surnames, slightly different numbers, follow-ups days later, long background
  passages that have nothing to do with the happening;
- most happenings get one or two articles, a few get a dozen.

Nothing here is used by the clustering code; the same templates feed no rule.
Each article: {"id", "story", "title", "body", "outlet", "published_at", "kind"}.
"""

from __future__ import annotations

import datetime as dt
import random
import re

FIRST = (
    "Anna Boris Chen Dara Elif Farid Grace Hiro Ines Jonas Kemal Lena Marek Nadia Omar Priya "
    "Quentin Rosa Sergei Tomas Ulla Viktor Wen Yusuf Zofia Amir Bianca Carlos Dmitri Esther "
    "Fatima Goran Hana Igor Jae Kofi Lucia Mateo Nikos Olga Pavel Rania Stefan Tarek Vera "
    "Walter Ximena Yara Zoran Aiko Bruno Camille Diego Emre Freya Gustav Helga Ivan Jana"
).split()
LAST = (
    "Ivanova Jensen Kowalski Lopez Mensah Novak Okafor Park Quispe Rahman Sato Tanaka Umarov "
    "Varga Weber Xu Yilmaz Zhang Abadi Bergman Castillo Dimitrov Eriksen Fischer Gonzaga Horvat "
    "Iqbal Jovanovic Kaminski Lindqvist Moreau Nakamura Orlov Petrov Rossi Silva Tesfaye "
    "Urbanski Volkov Wozniak Yamamoto Zeller Adeyemi Brandt Costa Duarte Esposito Ferrari "
    "Gallo Hassan Ibrahim Keller Lambert Marchetti Nieminen Oduya Pereira Ramos Schulz Torres"
).split()
COUNTRIES = {
    "Norway": ["Bergen", "Trondheim", "Stavanger", "Tromso", "Drammen"],
    "Portugal": ["Porto", "Braga", "Coimbra", "Faro", "Setubal"],
    "Serbia": ["Novi Sad", "Nis", "Kragujevac", "Subotica", "Cacak"],
    "Canada": ["Winnipeg", "Halifax", "Calgary", "Saskatoon", "Quebec City"],
    "Kazakhstan": ["Almaty", "Shymkent", "Karaganda", "Aktobe", "Pavlodar"],
    "Belgium": ["Antwerp", "Ghent", "Liege", "Bruges", "Namur"],
    "Kenya": ["Mombasa", "Kisumu", "Nakuru", "Eldoret", "Thika"],
    "Greece": ["Thessaloniki", "Patras", "Heraklion", "Larissa", "Volos"],
    "Poland": ["Krakow", "Gdansk", "Wroclaw", "Poznan", "Lodz"],
    "Jordan": ["Irbid", "Zarqa", "Aqaba", "Madaba", "Mafraq"],
    "Russia": ["Kazan", "Samara", "Omsk", "Tomsk", "Vladivostok"],
    "Italy": ["Turin", "Bologna", "Genoa", "Bari", "Palermo"],
    "Australia": ["Brisbane", "Adelaide", "Perth", "Hobart", "Darwin"],
    "Japan": ["Sendai", "Kobe", "Niigata", "Kumamoto", "Nagano"],
    "Romania": ["Cluj", "Iasi", "Timisoara", "Constanta", "Brasov"],
    "Chile": ["Valparaiso", "Concepcion", "Antofagasta", "Temuco", "Iquique"],
}
RIVERS = "Drava Sava Tisza Kuban Oder Vistula Tagus Douro Ural Amur Ob Irtysh".split()
OUTLETS = (
    "Daily Herald|Morning Courier|The Ledger|Evening Gazette|World Post|Capital Times|"
    "Global Wire|The Observer Review|Metro Tribune|National Dispatch|Pacific Standard|"
    "Continental News|Harbor Chronicle|The Sentinel|Valley Voice|Frontier Journal|"
    "Eastern Bulletin|Northern Star|Southern Record|Atlas Report|Press Union|News Line|"
    "Daily Monitor|The Inquirer|Weekly Digest|Bridge Press|Riverside Times|Civic Mail|"
    "Independent Review|Market Watchers"
).split("|")

# Per kind: titles, facts, quotes. {slot} fills in; [a|b|c] picks one wording per article.
KINDS = {
    "construction": {
        "titles": [
            "{country} and {partner} begin building [first|new] road bridge over {river}",
            "Work starts on {river} [bridge|crossing] linking {country} and {partner}",
            "{partner}, {country} break ground on cross-border [bridge|road link]",
            "[Construction|Building] of {river} bridge [begins|gets under way] at {city}",
        ],
        "facts": [
            "{country} and {partner} [have begun|started] [construction|building] of a road bridge "
            "across the {river} near {city}.",
            "The bridge will be {n1} [metres|meters] long and [is expected to|should] take {n2} "
            "months to [build|complete].",
            "{p1role} {p1} [launched|inaugurated|opened] the [works|construction] at a "
            "[ceremony|groundbreaking ceremony] on {weekday}.",
            "The crossing [is designed to|will] carry [up to|about] {n3} vehicles a day.",
            "[Until now|So far] the only link between the two countries [has been|was] a railway "
            "bridge built decades ago.",
            "The project is [financed|funded] by {org} and [officials|planners] hope it will "
            "[boost|lift] [trade|commerce] and tourism.",
            "[Critics|Opposition figures] in {country} [questioned|criticised] the cost of the "
            "[project|bridge], put at {n4} million.",
        ],
        "quotes": [
            "\u201cThis bridge [is|will be] a road to closer [cooperation|partnership],\u201d {p1s} said.",
            "\u201cWe [expect|hope] the first [trucks|vehicles] to cross within {n2} months,\u201d "
            "said {p2}, who [heads|leads] {org}.",
        ],
    },
    "earthquake": {
        "titles": [
            "[Magnitude|Strong] {m} earthquake [strikes|hits|rocks] {city}, {country}",
            "[Earthquake|Quake] [kills|leaves] {n1} [dead|people dead] in {country}",
            "{country} [quake|earthquake]: rescuers search rubble in {city}",
            "Death toll [rises|climbs] after {country} earthquake",
        ],
        "facts": [
            "A magnitude {m} earthquake [struck|hit|shook] [near|close to] {city} on {weekday}, "
            "[officials said|authorities said].",
            "At least {n1} people were killed and {n2} [injured|hurt], according to {org}.",
            "[Rescuers|Rescue teams] [were searching|searched] collapsed buildings [through the "
            "night|for survivors].",
            "The [epicentre|epicenter] was {n3} kilometres [from|outside] {city} at a depth of "
            "{n5} kilometres.",
            "{p1role} {p1} [visited|toured] the [area|worst-hit districts] and [promised|pledged] "
            "[aid|help] to [families|survivors].",
            "[Several|Dozens of] aftershocks [followed|were felt] [in the hours after|after] the "
            "[main quake|first tremor].",
            "Schools in {city} [were closed|will stay closed] while engineers [inspect|check] "
            "buildings.",
        ],
        "quotes": [
            "\u201cWe are [doing everything|working around the clock] to reach people under the "
            "rubble,\u201d {p1s} said.",
            "\u201cThe [shaking|tremor] lasted almost a minute,\u201d said {p2}, a [resident|"
            "shopkeeper] in {city}.",
        ],
    },
    "fire": {
        "titles": [
            "Fire [at|in] {org} [plant|factory] in {city} [kills|leaves] {n1} [dead|workers dead]",
            "[Blaze|Fire] [tears through|engulfs] factory in {city}, {country}",
            "{n1} [dead|killed] in {city} factory fire",
            "Investigation opened after deadly [fire|blaze] at {city} plant",
        ],
        "facts": [
            "A fire [broke out|started] at a {org} [factory|plant] in {city} on {weekday}, "
            "killing {n1} [workers|people].",
            "[Firefighters|Fire crews] [fought|battled] the [blaze|flames] for {n6} hours before "
            "[bringing it under control|putting it out].",
            "{n2} people were taken to hospital with burns and smoke inhalation.",
            "[Prosecutors|Investigators] [opened|launched] [an inquiry|a criminal investigation] "
            "into [safety violations|the cause of the fire].",
            "{p1role} {p1} [ordered|called for] [inspections|checks] of [similar plants|"
            "factories] across {country}.",
            "The plant [employs|employed] about {n3} people and [makes|made] [plastics|"
            "textiles|car parts].",
        ],
        "quotes": [
            "\u201c[The smoke was everywhere|We could not see anything],\u201d said {p2}, a "
            "worker who escaped.",
            "\u201cThose responsible will be held to account,\u201d {p1s} said.",
        ],
    },
    "election": {
        "titles": [
            "{p1} [wins|claims victory in] {country} [presidential|general] election",
            "{country} election: {p1} [leads|ahead] with {n1} percent",
            "[Voters|Polls] in {country} [hand|give] victory to {p1}",
            "{p2} [concedes|admits defeat] as {p1} wins {country} vote",
        ],
        "facts": [
            "{p1} won {n1} percent of the vote in {weekday}'s election, [according to|the "
            "electoral commission said].",
            "[Rival|Challenger] {p2} [received|took] {n7} percent.",
            "Turnout was {n8} percent, [the highest|the lowest] in [a decade|years].",
            "{p1} [campaigned|ran] on promises to [fight corruption|cut taxes|raise wages].",
            "[Observers|Monitors] from {org} said the [vote|count] was [largely orderly|marred by "
            "irregularities].",
            "Supporters [celebrated|gathered] in the streets of {city} [late into the night|after "
            "results came in].",
        ],
        "quotes": [
            "\u201cThis victory belongs to every citizen of {country},\u201d {p1s} told supporters "
            "in {city}.",
            "\u201cWe [accept|respect] the result,\u201d {p2s} said.",
        ],
    },
    "summit": {
        "titles": [
            "{p1} and {p3} [hold talks|meet] in {city}",
            "{country} and {partner} leaders [agree|pledge] closer ties at {city} summit",
            "{p1} [hosts|welcomes] {p3} for [talks|summit] on [trade|security]",
            "{city} summit: {country}, {partner} [sign|seal] {n6} agreements",
        ],
        "facts": [
            "{p1role} {p1} [met|held talks with] {p3} of {partner} in {city} on {weekday}.",
            "The two [leaders|sides] signed {n6} agreements on [energy|trade|transport] and "
            "[education|security].",
            "[Trade|Commerce] between {country} and {partner} [reached|was worth] {n4} million "
            "last year.",
            "[They|The leaders] also discussed [the border dispute|migration|fishing rights].",
            "{p3} [invited|asked] {p1s} to visit {partner} [next year|later this year].",
            "[Protesters|Demonstrators] gathered outside the [venue|palace] in {city}.",
        ],
        "quotes": [
            "\u201cOur [friendship|partnership] has never been stronger,\u201d {p1s} said.",
            "\u201cWe agreed to [double|expand] trade within {n2} years,\u201d {p3s} told reporters.",
        ],
    },
    "strike": {
        "titles": [
            "[Workers|Staff] at {org} [walk out|go on strike] in {city}",
            "{org} strike [halts|shuts] production in {country}",
            "[Union|Workers] [stage|launch] {n6}-day strike at {org}",
            "Talks fail as {org} strike [enters|goes into] [second|third] day",
        ],
        "facts": [
            "About {n3} workers at {org} in {city} [went on strike|walked out] on {weekday} "
            "[over pay|demanding higher wages].",
            "The union, led by {p2}, [wants|is demanding] a {n9} percent [pay rise|raise].",
            "{org} [offered|has offered] {n10} percent, which the union [rejected|turned down].",
            "[Production|Output] at the [plant|site] [stopped|was halted] [entirely|completely].",
            "{p1role} {p1} [urged|called on] both sides to [return to talks|negotiate].",
            "The strike is [set|planned] to last {n6} days.",
        ],
        "quotes": [
            "\u201cWe will not go back until [we get|there is] a fair offer,\u201d {p2s} said.",
            "\u201cThe [strike|walkout] [hurts|harms] everyone,\u201d a spokesperson for {org} said.",
        ],
    },
    "flood": {
        "titles": [
            "[Floods|Flooding] [kill|leave] {n1} [dead|people dead] in {country}",
            "Thousands [evacuated|flee homes] as {river} [bursts its banks|floods] in {city}",
            "{country} floods: [heavy rain|torrential rain] [swamps|inundates] {city}",
            "[Rescue|Relief] efforts [continue|under way] after {city} floods",
        ],
        "facts": [
            "[Heavy|Torrential] rain [caused|sent] the {river} [to burst its banks|over its banks] "
            "in {city} on {weekday}.",
            "At least {n1} people [died|were killed] and {n3} were [evacuated|moved to shelters].",
            "[Roads|Several roads] and [a railway line|bridges] were [washed away|closed].",
            "{p1role} {p1} [declared|announced] a state of emergency in the region.",
            "[Forecasters|Meteorologists] warned of more rain [this week|in the coming days].",
            "{org} [sent|deployed] boats and [helicopters|rescue teams] to the area.",
        ],
        "quotes": [
            "\u201cThe water rose [in minutes|so fast],\u201d said {p2}, a resident of {city}.",
            "\u201cWe will rebuild [every home|what was lost],\u201d {p1s} said.",
        ],
    },
    "trade": {
        "titles": [
            "{country} and {partner} [sign|agree] [trade deal|free trade agreement]",
            "{country}, {partner} [cut|scrap] tariffs in new trade pact",
            "Trade [pact|deal] between {country} and {partner} [signed|sealed] in {city}",
        ],
        "facts": [
            "{country} and {partner} [signed|concluded] a trade agreement in {city} on {weekday} "
            "after {n6} years of talks.",
            "The [deal|pact] [removes|cuts] tariffs on {n9} percent of goods.",
            "{p1role} {p1} said the agreement [would|could] add {n4} million to [exports|the "
            "economy].",
            "[Farmers|Farm groups] in {country} [warned|fear] of [cheap imports|competition].",
            "The agreement still needs [approval|ratification] by parliament.",
            "{org} [welcomed|praised] the deal.",
        ],
        "quotes": [
            "\u201cThis [deal|agreement] opens [new markets|doors] for our [companies|exporters],"
            "\u201d {p1s} said.",
            "\u201cWe [will|shall] watch [closely|carefully] how it [works|is applied],\u201d "
            "said {p2} of {org}.",
        ],
    },
    "verdict": {
        "titles": [
            "Court [convicts|finds guilty] {p2} in {org} [fraud|corruption] case",
            "{p2} [sentenced|jailed] for {n6} years [over|for] {org} [fraud|bribery]",
            "[Verdict|Ruling] in {org} trial: {p2} [guilty|convicted]",
        ],
        "facts": [
            "A court in {city} [found|ruled] {p2}, the former head of {org}, guilty of "
            "[fraud|bribery|embezzlement] on {weekday}.",
            "{p2s} was sentenced to {n6} years in prison and fined {n4} million.",
            "Prosecutors said {n4} million was [diverted|siphoned off] [through|via] shell "
            "companies.",
            "[His|The] lawyers said they would appeal.",
            "The [trial|case] [lasted|ran for] {n2} months and [heard|included] {n3} witnesses.",
            "{p1role} {p1} said the verdict showed [no one was|nobody is] above the law.",
        ],
        "quotes": [
            "\u201cJustice has been [done|served],\u201d {p1s} said.",
            "\u201cMy client is innocent and we will appeal,\u201d said {p2s}'s lawyer.",
        ],
    },
    "acquisition": {
        "titles": [
            "{org} [to buy|agrees to acquire] {org2} for {n4} million",
            "{org} [announces|confirms] takeover of {org2}",
            "{org2} [shares jump|soars] on {org} [deal|takeover bid]",
        ],
        "facts": [
            "{org} [agreed to buy|will acquire] {org2} for {n4} million, the companies said on "
            "{weekday}.",
            "Shares in {org2} [rose|jumped] {n9} percent on the news.",
            "The [deal|takeover] [needs|requires] approval from [regulators|competition "
            "authorities] in {country}.",
            "{org2} employs {n3} people, [mostly|many] in {city}.",
            "{p2}, chief executive of {org}, will [lead|run] the [combined|merged] company.",
            "[Analysts|Investors] said the price [was high|looked steep].",
        ],
        "quotes": [
            "\u201cTogether we [will|can] [compete|grow] [worldwide|globally],\u201d {p2s} said.",
            "\u201cWe will [look|examine] the [deal|merger] carefully,\u201d {p1s} said.",
        ],
    },
    "protest": {
        "titles": [
            "Thousands [protest|march] in {city} against [fuel prices|new tax|pension reform]",
            "[Police|Security forces] [clash|scuffle] with protesters in {city}",
            "{country} protests [grow|spread] as [anger|discontent] [mounts|rises]",
        ],
        "facts": [
            "[Thousands|Tens of thousands] of people [marched|protested] in {city} on {weekday} "
            "against [the government's plan|a new law].",
            "Police [used|fired] tear gas and [arrested|detained] {n2} people.",
            "[Organisers|Organizers] said {n3} people took part; police put the number lower.",
            "{p1role} {p1} [said|insisted] the [reform|law] [was necessary|would go ahead].",
            "{p2}, [a leader of|who leads] {org}, called for [more|further] protests.",
            "[Shops|Businesses] in central {city} [closed|stayed shut] [early|during the march].",
        ],
        "quotes": [
            "\u201cWe [will not|won't] be silenced,\u201d {p2s} told the crowd.",
            "\u201cThe government [will not|does not] bow to [pressure|the street],\u201d {p1s} said.",
        ],
    },
    "rail": {
        "titles": [
            "[Train|Passenger train] [derails|crashes] near {city}, [killing|leaving] {n1} [dead|"
            "people dead]",
            "{n1} [killed|dead] in {country} train [crash|derailment]",
            "[Investigators|Inquiry] [probe|into] cause of {city} [derailment|rail crash]",
        ],
        "facts": [
            "A passenger train [carrying|with] {n3} people [derailed|came off the tracks] near "
            "{city} on {weekday}.",
            "At least {n1} people [were killed|died] and {n2} [injured|hurt].",
            "[The train|It] was [travelling|on its way] from {city} to {city2}.",
            "{org} said it was [investigating|looking into] [the cause|what happened].",
            "{p1role} {p1} [ordered|announced] an [inquiry|investigation] and [visited|went to] "
            "the site.",
            "[Services|Trains] on the line [were suspended|have been halted].",
        ],
        "quotes": [
            "\u201cThere was a loud bang and [the carriage|everything] [tipped over|turned],\u201d "
            "said {p2}, a passenger.",
            "\u201cWe [owe|must give] the families [answers|the truth],\u201d {p1s} said.",
        ],
    },
}
ROLES = ["Prime Minister", "President", "Interior Minister", "Governor", "Transport Minister"]
BACKGROUND = [
    "{country} has [faced|struggled with] [high inflation|slow growth|rising prices] [this "
    "year|in recent months].",
    "{p0role} {p0} [has led|has governed] {country} since [the last election|a coalition deal].",
    "[Relations|Ties] between {country} and its neighbours have [been tense|improved] "
    "[lately|in recent years].",
    "The [economy|government] of {country} [depends heavily|relies] on [exports|energy] "
    "[and tourism|and farming].",
    "[Critics|Opposition parties] [accuse|have accused] {p0s} of [ignoring|neglecting] "
    "[the regions|rural areas].",
    "{city} is [one of the largest|a major] [cities|ports|industrial centres] in {country}.",
    "[Parliament|Lawmakers] in {country} [will debate|are debating] the budget [next month|"
    "this autumn].",
    "[Unemployment|Inflation|Growth] in {country} [was|stood at] {x1}.{x2} percent in [the first "
    "quarter|the spring|the last quarter|{month}], [the statistics office said|official data "
    "showed].",
    "{o1role} {o1} [visited|spoke in|toured] {c1} [earlier this month|last week|in {month}] to "
    "[discuss|promote] [investment|jobs|the new budget|road repairs|the harvest].",
    "[In {month}|Last year|Earlier this year], {o1} [announced|unveiled|promised] a "
    "[plan|programme|fund] worth {x3} million for [hospitals|schools|railways|housing] in {c1}.",
    "[Opinion polls|Surveys] [show|suggest] {x4} percent of [voters|people] in {country} "
    "[approve of|trust] the government.",
    "The [central bank|finance ministry] of {country} [kept|raised|cut] [interest rates|its "
    "forecast] [on|in] {month}.",
    "[Tourism|Exports|Factory output] in {c1} [rose|fell|grew] by {x1} percent [last year|in "
    "{month}].",
]
FILLER = [
    "[Officials|Authorities] [did not|declined to] [give further details|comment further].",
    "The [news|announcement] [comes|came] [amid|during] a [busy|difficult] [period|season] for "
    "the region.",
    "[Local|Regional] media [carried|published] [images|pictures|video] [from the scene|of the "
    "event].",
    "[It was|This is] [not the first|the latest] [such|similar] [event|incident] in [recent "
    "years|the region].",
    "[More|Further] [details|information] [are expected|will follow] [later|in the coming days].",
    "[Residents|Local people] [said|told reporters] they [had|were] [mixed feelings|"
    "worried|hopeful].",
    "[Analysts|Experts] said the [long-term|wider] [effects|impact] [remain|were] [unclear|"
    "hard to judge].",
    "The [story|report] was [first|initially] [reported|carried] by [local|state] media.",
]

_CHOICE = re.compile(r"\[([^\[\]]*)\]")


def wording(template: str, rng: random.Random, slots: dict) -> str:
    """Fill ``template``: one alternative of each [a|b] group, then the {slots}."""
    text = _CHOICE.sub(lambda m: rng.choice(m.group(1).split("|")), template)
    return text.format(**slots)


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _org(rng: random.Random, city: str, kind: str) -> str:
    styles = {
        "strike": ["{c} Steelworks", "{c} Motor Works", "{l} Logistics", "{c} Port Authority"],
        "acquisition": ["{l} Holdings", "{l} Group", "{c} Bank", "{l} Energy", "{l} Telecom"],
        "verdict": ["{l} Holdings", "{c} Development Bank", "{l} Construction"],
        "fire": ["{l} Plastics", "{c} Chemical", "{l} Textiles", "{c} Metalworks"],
    }
    pool = styles.get(kind, ["{c} Red Cross", "{l} Foundation", "{c} Regional Authority"])
    return rng.choice(pool).format(c=city.split()[0], l=rng.choice(LAST))


class World:
    """Countries with their standing officials, so stories from one country share names."""

    def __init__(self, rng: random.Random):
        self.officials = {c: [(_person(rng), role) for role in ROLES] for c in COUNTRIES}
        WORLD_OFFICIALS.clear()
        WORLD_OFFICIALS.update(self.officials)


WORLD_OFFICIALS: dict[str, list] = {}


def happening(rng: random.Random, world: World, kind: str, day: dt.date, like: dict | None = None):
    """The facts of one happening; ``like`` makes a sequel (same country, often same people)."""
    if like is not None:
        country, facts = like["country"], dict(like["slots"])
        if rng.random() < 0.5:
            facts["city"] = rng.choice(COUNTRIES[country])
        for key in ("n1", "n2", "n3", "n4", "n6", "n9", "n10"):
            facts[key] = _number(rng, key)
        if rng.random() < 0.5:
            facts["p2"] = _person(rng)
            facts["p2s"] = facts["p2"].split()[-1]
        facts["weekday"] = day.strftime("%A")
        return {
            "kind": kind,
            "country": country,
            "day": day,
            "slots": facts,
            "angles": like["angles"][:2] + angles(rng, 3),
        }
    country = rng.choice(list(COUNTRIES))
    partner = rng.choice([c for c in COUNTRIES if c != country])
    city, city2 = rng.sample(COUNTRIES[country], 2)
    p1, role = rng.choice(world.officials[country])
    p0, role0 = world.officials[country][0]
    p3 = rng.choice(world.officials[partner])[0]
    p2 = _person(rng)
    slots = {
        "country": country,
        "partner": partner,
        "city": city,
        "city2": city2,
        "river": rng.choice(RIVERS),
        "org": _org(rng, city, kind),
        "org2": _org(rng, city2, kind),
        "p0": p0,
        "p0s": p0.split()[-1],
        "p0role": role0,
        "p1": p1,
        "p1s": p1.split()[-1],
        "p1role": role,
        "p2": p2,
        "p2s": p2.split()[-1],
        "p3": p3,
        "p3s": p3.split()[-1],
        "m": f"{rng.uniform(4.8, 7.9):.1f}",
        "weekday": day.strftime("%A"),
    }
    for key in ("n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "n9", "n10"):
        slots[key] = _number(rng, key)
    return {"kind": kind, "country": country, "day": day, "slots": slots, "angles": angles(rng)}


ANGLES = [
    "{a1}, [an analyst|a researcher|an economist] at the {u1} [Institute|Centre|University], "
    "said the [events|developments] [would|could] [shape|affect] [policy|the region] for years.",
    "[The episode|It] [recalled|echoed] [a similar case|events] in {w1} [in|during] {y1}, "
    "[when|after which] {a2} [resigned|stepped down|was replaced].",
    "[Neighbouring|Nearby] {w1} [offered|sent] [help|support|a delegation] led by {a2}.",
    "[According to|Citing] [documents|sources] seen by reporters, {u1} [had warned|was told] "
    "[about|of] [the risks|problems] [months earlier|last year].",
    "{a1} [wrote|posted] on social media that [it was|this was] [a turning point|a wake-up call].",
    "[Lawmakers|Members of parliament] from the {u1} party [demanded|called for] [a hearing|"
    "answers] [next week|from ministers].",
    "The [area|region] around {w1} [had|has] [seen|suffered] [similar problems|setbacks] "
    "[since|in] {y1}.",
]


def angles(rng: random.Random, k: int = 5) -> list[str]:
    """Related facts of one happening with their own names; outlets pick different ones."""
    slots = {
        "a1": _person(rng),
        "a2": _person(rng),
        "u1": rng.choice(LAST) + " " + rng.choice(["Policy", "Civic", "Liberty", "Unity"]),
        "w1": rng.choice([c for cs in COUNTRIES.values() for c in cs]),
        "y1": rng.randint(1990, 2023),
    }
    return [wording(t, rng, slots) for t in rng.sample(ANGLES, k)]


def _number(rng: random.Random, key: str) -> int:
    ranges = {
        "n1": (3, 90), "n2": (5, 40), "n3": (200, 5000), "n4": (20, 900), "n5": (5, 40),
        "n6": (2, 9), "n7": (20, 45), "n8": (40, 80), "n9": (5, 25), "n10": (1, 5),
    }  # fmt: skip
    return rng.randint(*ranges[key])


MONTHS = "January February March April May June July August September October November".split()


def _context(rng: random.Random, slots: dict, event: dict) -> dict:
    """Slots for a background sentence: other officials, cities and figures of the same country."""
    country = event["country"]
    o1, role = rng.choice(WORLD_OFFICIALS[country])
    return {
        **slots,
        "o1": o1,
        "o1role": role,
        "c1": rng.choice(COUNTRIES[country]),
        "month": rng.choice(MONTHS),
        "x1": rng.randint(1, 12),
        "x2": rng.randint(0, 9),
        "x3": rng.randint(10, 900),
        "x4": rng.randint(20, 70),
    }


def article(rng: random.Random, event: dict, outlet: str, *, follow_up: bool) -> dict:
    """One outlet's wording of a happening: title, lead, facts, quotes, background, filler."""
    spec = KINDS[event["kind"]]
    slots = dict(event["slots"])
    # Outlets disagree a little on numbers.
    for key in ("n1", "n2", "n3"):
        if rng.random() < 0.3:
            slots[key] = max(1, int(slots[key] * rng.uniform(0.8, 1.25)))
    title = wording(rng.choice(spec["titles"]), rng, slots)
    # A follow-up is often an analysis: few of the facts, more angles and voices of its own.
    most = 3 if follow_up else len(spec["facts"]) - 1
    facts = rng.sample(spec["facts"], k=rng.randint(2, most))
    if facts[0] is not spec["facts"][0] and rng.random() < 0.6:
        facts.insert(0, spec["facts"][0])
    sentences = [wording(f, rng, slots) for f in facts]
    for quote in rng.sample(spec["quotes"], k=rng.randint(0, len(spec["quotes"]))):
        sentences.insert(rng.randint(1, len(sentences)), wording(quote, rng, slots))
    if follow_up:
        sentences.insert(
            0,
            wording(
                "[Days|A week] after the {kind}, [questions remain|attention has turned to what "
                "comes next] in {city}.",
                rng,
                {**slots, "kind": event["kind"]},
            ),
        )
    # Each outlet adds a few of the story's related angles and a voice of its own.
    picked = rng.randint(2 if follow_up else 0, min(4 if follow_up else 3, len(event["angles"])))
    for angle in rng.sample(event["angles"], k=picked):
        sentences.insert(rng.randint(1, len(sentences)), angle)
    for own in angles(rng, rng.randint(4, 7) if follow_up else rng.randint(2, 5)):
        sentences.insert(rng.randint(1, len(sentences)), own)
    paragraphs = [" ".join(sentences[i : i + 2]) for i in range(0, len(sentences), 2)]
    background = rng.sample(BACKGROUND, k=rng.randint(1, 4))
    filler = rng.sample(FILLER, k=rng.randint(1, 5))
    extra = [wording(t, rng, _context(rng, slots, event)) for t in background + filler]
    rng.shuffle(extra)
    # Background and filler...
    # ...up to two to three times the words about the happening itself, as in real reports.
    target = int(sum(len(p.split()) for p in paragraphs) * rng.uniform(1.4, 3.0))
    while sum(len(p.split()) for p in paragraphs + extra) < target:
        extra.append(wording(rng.choice(BACKGROUND + FILLER), rng, _context(rng, slots, event)))
    for sentence in extra:
        paragraphs.insert(rng.randint(min(2, len(paragraphs)), len(paragraphs)), sentence)
    return {"title": title, "body": "\n\n".join(paragraphs), "outlet": outlet}


def generate(happenings: int = 500, *, seed: int = 1, days: int = 730) -> list[dict]:
    """A labelled archive: about four articles per happening, over ``days`` days.

    About a third of happenings have sequels of the same kind in the same country 25-200 days
    later; a tenth are "twins": the same kind, in another country, within the same week.
    """
    rng = random.Random(seed)
    world = World(rng)
    start = dt.date(2024, 1, 1)
    events = []
    while len(events) < happenings:
        kind = rng.choice(list(KINDS))
        day = start + dt.timedelta(days=rng.randrange(days))
        event = happening(rng, world, kind, day)
        events.append(event)
        if rng.random() < 0.33:
            later = day + dt.timedelta(days=rng.randint(25, 200))
            events.append(happening(rng, world, kind, later, like=event))
        if rng.random() < 0.1:
            events.append(happening(rng, world, kind, day + dt.timedelta(days=rng.randint(0, 6))))
    articles = []
    for number, event in enumerate(events[:happenings]):
        coverage = min(12, max(1, int(rng.paretovariate(1.1))))
        for outlet in rng.sample(OUTLETS, k=coverage):
            lag = rng.choice([0, 0, 0, 1, 1, 2, 3]) if rng.random() > 0.15 else rng.randint(4, 12)
            item = article(rng, event, outlet, follow_up=lag >= 4)
            when = dt.datetime.combine(event["day"], dt.time(6), tzinfo=dt.UTC) + dt.timedelta(
                days=lag, hours=rng.randint(0, 16), minutes=rng.randint(0, 59)
            )
            item.update(
                id=len(articles),
                story=number,
                kind=event["kind"],
                published_at=when.isoformat(),
            )
            articles.append(item)
    articles.sort(key=lambda a: a["published_at"])
    return articles
