"""The demo programme's content: SCBI's five priority sectors with real Rwandan
institutions, a framework per sector and a cross-cutting leadership framework, and the
people. Names are invented; institutions are real."""

from __future__ import annotations

# code, name, expert target, years from the phase's start to the target, institutions
SECTORS = [
    (
        "ENE",
        "Energy",
        12,
        2.5,
        [
            ("MININFRA", "Ministry of Infrastructure"),
            ("REG", "Rwanda Energy Group"),
            ("EDCL", "Energy Development Corporation Limited"),
        ],
    ),
    (
        "AGR",
        "Agriculture",
        15,
        2.5,
        [
            ("MINAGRI", "Ministry of Agriculture and Animal Resources"),
            ("RAB", "Rwanda Agriculture and Animal Resources Development Board"),
        ],
    ),
    (
        "MIN",
        "Mining",
        8,
        3.0,
        [
            ("RMB", "Rwanda Mines, Petroleum and Gas Board"),
        ],
    ),
    (
        "INV",
        "Investment Promotion",
        10,
        2.5,
        [
            ("RDB", "Rwanda Development Board"),
        ],
    ),
    (
        "EXP",
        "Export Promotion",
        10,
        3.0,
        [
            ("NAEB", "National Agricultural Export Development Board"),
            ("MINICOM", "Ministry of Trade and Industry"),
        ],
    ),
]

# sector code -> (framework name, [(idnumber, short name, core, parent idnumber or "")])
FRAMEWORKS = {
    "ENE": (
        "Energy planning and delivery",
        [
            ("ENE-PLAN", "Energy sector planning", False, ""),
            ("ENE-LCP", "Least-cost generation expansion planning", True, "ENE-PLAN"),
            ("ENE-DEM", "Electricity demand forecasting", True, "ENE-PLAN"),
            ("ENE-GRID", "Transmission and distribution network studies", True, "ENE-PLAN"),
            ("ENE-DEAL", "Energy transactions", False, ""),
            ("ENE-PPA", "Power purchase agreement negotiation", True, "ENE-DEAL"),
            ("ENE-TAR", "Tariff and cost-of-service analysis", True, "ENE-DEAL"),
            ("ENE-OFF", "Off-grid electrification programme design", False, ""),
            ("ENE-PM", "Energy project monitoring", False, ""),
        ],
    ),
    "AGR": (
        "Agricultural transformation",
        [
            ("AGR-POL", "Agricultural policy analysis", True, ""),
            ("AGR-VC", "Value chain analysis and development", True, ""),
            ("AGR-IRR", "Irrigation scheme planning", True, ""),
            ("AGR-SEED", "Seed systems and certification", False, ""),
            ("AGR-EXT", "Extension programme design", True, ""),
            ("AGR-STAT", "Agricultural statistics and surveys", False, ""),
            ("AGR-CLIM", "Climate-smart agriculture", False, ""),
        ],
    ),
    "MIN": (
        "Mining governance",
        [
            ("MIN-GEO", "Geological data interpretation", True, ""),
            ("MIN-LIC", "Mineral licensing and cadastre", True, ""),
            ("MIN-FIS", "Mining fiscal regime and royalties", True, ""),
            ("MIN-ESH", "Environmental and social safeguards in mining", False, ""),
            ("MIN-TRC", "Mineral traceability and certification", True, ""),
            ("MIN-INSP", "Mine inspection", False, ""),
        ],
    ),
    "INV": (
        "Investment promotion",
        [
            ("INV-TGT", "Investor targeting and lead generation", True, ""),
            ("INV-FEAS", "Project feasibility and financial modelling", True, ""),
            ("INV-PPP", "Public-private partnership structuring", True, ""),
            ("INV-NEG", "Investment negotiation", True, ""),
            ("INV-AFT", "Investor aftercare", False, ""),
            ("INV-CLIM", "Business climate reform analysis", False, ""),
        ],
    ),
    "EXP": (
        "Export development",
        [
            ("EXP-MKT", "Export market intelligence", True, ""),
            ("EXP-STD", "Standards and quality compliance for export", True, ""),
            ("EXP-PRO", "Export promotion campaigns", False, ""),
            ("EXP-TRD", "Trade agreement utilisation (AfCFTA, EAC)", True, ""),
            ("EXP-LOG", "Export logistics and cold chain", False, ""),
            ("EXP-HORT", "Horticulture export value chains", True, ""),
            ("EXP-COF", "Coffee and tea export quality", False, ""),
        ],
    ),
}
LEADERSHIP = (
    "Public sector leadership",
    "LEAD",
    [
        ("LEAD-STR", "Strategic thinking", False, ""),
        ("LEAD-TEAM", "Leading teams", False, ""),
        ("LEAD-COM", "Communicating with decision-makers", False, ""),
        ("LEAD-NEG", "Negotiation and influence", False, ""),
        ("LEAD-COACH", "Coaching others", False, ""),
    ],
)

# name, nationality, organisation, sector, host, expertise, years, qualification
COACHES = [
    (
        "Grace Achieng",
        "Kenyan",
        "GIZ",
        "ENE",
        "REG",
        "Power system planning; grid codes; generation expansion models",
        9,
        "ICF ACC",
    ),
    (
        "Rajesh Menon",
        "Indian",
        "World Bank",
        "ENE",
        "MININFRA",
        "Energy regulation, tariff design, power purchase agreements",
        14,
        "",
    ),
    (
        "Ingrid Solberg",
        "Norwegian",
        "Norad",
        "ENE",
        "EDCL",
        "Hydropower and methane-to-power project development",
        11,
        "EMCC Practitioner",
    ),
    (
        "Kwame Mensah",
        "Ghanaian",
        "AfDB",
        "AGR",
        "MINAGRI",
        "Agricultural policy, public expenditure reviews",
        12,
        "",
    ),
    (
        "Hélène Dubois",
        "French",
        "AFD",
        "AGR",
        "RAB",
        "Irrigation engineering and water user associations",
        16,
        "ICF PCC",
    ),
    (
        "Samuel Okello",
        "Ugandan",
        "FAO",
        "AGR",
        "RAB",
        "Seed systems, extension and farmer field schools",
        8,
        "",
    ),
    (
        "Thandiwe Dlamini",
        "South African",
        "Mintek",
        "MIN",
        "RMB",
        "Mineral cadastre, licensing and geodata",
        10,
        "ICF ACC",
    ),
    (
        "Peter Harrington",
        "British",
        "BGS",
        "MIN",
        "RMB",
        "Exploration geology, traceability of 3T minerals",
        18,
        "",
    ),
    (
        "Amina Yusuf",
        "Tanzanian",
        "TradeMark Africa",
        "INV",
        "RDB",
        "Investment promotion, investor targeting and aftercare",
        7,
        "ICF ACC",
    ),
    (
        "Daniel Kim",
        "Korean",
        "KOICA",
        "INV",
        "RDB",
        "PPP structuring and financial modelling",
        13,
        "",
    ),
    (
        "Marta Alvarez",
        "Spanish",
        "ITC",
        "EXP",
        "NAEB",
        "Horticulture export value chains; standards compliance",
        10,
        "EMCC Practitioner",
    ),
    (
        "Jean-Pierre Habyarimana",
        "Rwandan",
        "Diaspora expert (UNDP)",
        "EXP",
        "MINICOM",
        "Trade policy, AfCFTA and EAC market access",
        15,
        "",
    ),
]

MENTEE_FIRST = {
    "female": [
        "Aline",
        "Claudine",
        "Diane",
        "Esther",
        "Francine",
        "Grâce",
        "Immaculée",
        "Josiane",
        "Liliane",
        "Marie Claire",
        "Nadine",
        "Olive",
        "Pacifique",
        "Sandrine",
        "Solange",
        "Vestine",
        "Yvonne",
        "Chantal",
    ],
    "male": [
        "Alphonse",
        "Bosco",
        "Claude",
        "Didier",
        "Emmanuel",
        "Eric",
        "Fabrice",
        "Gilbert",
        "Innocent",
        "Jean Paul",
        "Kevin",
        "Olivier",
        "Patrick",
        "Serge",
        "Théogène",
        "Yves",
        "Aimable",
        "Fiston",
        "Jacques",
        "Samuel",
        "Cédric",
        "Norbert",
    ],
}
MENTEE_LAST = [
    "Uwimana",
    "Mukamana",
    "Niyonzima",
    "Habimana",
    "Nshimiyimana",
    "Uwase",
    "Mugisha",
    "Ingabire",
    "Hakizimana",
    "Iradukunda",
    "Mutesi",
    "Nkurunziza",
    "Umutoni",
    "Bizimana",
    "Kayitesi",
    "Ndayisaba",
    "Tuyishime",
    "Mukeshimana",
    "Munyaneza",
    "Uwera",
]
POSITIONS = {
    "ENE": [
        "Energy planning engineer",
        "Power systems analyst",
        "Tariff analyst",
        "Off-grid programme officer",
    ],
    "AGR": [
        "Agricultural economist",
        "Irrigation engineer",
        "Value chain specialist",
        "Extension programme officer",
    ],
    "MIN": ["Geologist", "Mineral licensing officer", "Mining fiscal analyst"],
    "INV": ["Investment promotion officer", "PPP analyst", "Aftercare officer"],
    "EXP": ["Export market analyst", "Quality compliance officer", "Trade policy analyst"],
}
# mentees per sector (about 40 in all)
MENTEES_PER_SECTOR = {"ENE": 10, "AGR": 10, "MIN": 6, "INV": 7, "EXP": 8}

COORDINATORS = [
    ("Béatrice Mukarugwiza", ["ENE", "MIN"]),
    ("Eugène Rutagengwa", ["AGR", "EXP"]),
    ("Sylvie Uwamahoro", ["INV"]),
]

# Priority results per sector: (institution acronym or None, title, months from the phase
# start to the due date, [(status, months from the phase start), ...]).
PRIORITY_RESULTS = {
    "ENE": [
        ("MININFRA", "Least-cost power development plan 2025-2040 adopted", 20,
         [("on_track", 2), ("at_risk", 14), ("delivered", 21)]),
        ("REG", "Grid code revised for variable renewable energy", 26,
         [("on_track", 4), ("at_risk", 19)]),
        ("EDCL", "Universal access electrification roadmap updated", 30, [("on_track", 6)]),
    ],
    "AGR": [
        ("MINAGRI", "Strategic Plan for Agriculture Transformation mid-term review", 18,
         [("on_track", 3), ("delivered", 17)]),
        ("RAB", "Seed certification system decentralised to districts", 28,
         [("on_track", 5), ("at_risk", 20)]),
    ],
    "MIN": [
        ("RMB", "Mineral exploration licensing digitised", 24, [("on_track", 3)]),
        (None, "National mining sector local-content policy drafted", 22, []),
    ],
    "INV": [
        ("RDB", "Investment facilitation one-stop centre service charter", 16,
         [("on_track", 2), ("delivered", 15)]),
        ("RDB", "Aftercare programme for established investors", 27, [("on_track", 8)]),
    ],
    "EXP": [
        ("NAEB", "Coffee and tea export quality traceability system", 25,
         [("on_track", 4), ("at_risk", 16)]),
        ("MINICOM", "AfCFTA export readiness programme for SMEs", 30,
         [("on_track", 10), ("dropped", 22)]),
    ],
}  # fmt: skip
