"""Demo content for local development: written for Marquee, facts from the public record.

Each review body is a list of ``(block_type, value)`` pairs; ``("image", n)``
places still number ``n`` of the film.
"""

CRITICS = [
    {
        "name": "Spencer Whitlock",
        "bio": (
            "Spencer grew up in the high desert on a steady diet of rented VHS thrillers and "
            "still judges every heist film against the ones he wore out at twelve. He covers "
            "documentaries and festivals for Marquee and makes short films when nobody is looking."
        ),
        "website": "https://spencer-whitlock.example",
        "x": "spencerwhitlock",
        "letterboxd": "swhitlock",
        "public_email": "spencer@marquee.example",
    },
    {
        "name": "Maya Okafor",
        "bio": (
            "Maya writes about first features, coming-of-age stories and the business of "
            "independent distribution. She has programmed shorts for two regional festivals."
        ),
        "bluesky": "mayaokafor.bsky.social",
        "instagram": "maya.watches",
    },
    {
        "name": "Daniel Reyes",
        "bio": (
            "Daniel is Marquee's genre desk: horror, science fiction and anything with a creature "
            "in it. He believes practical effects are a moral position."
        ),
        "letterboxd": "dreyes",
        "website": "https://danielreyes.example",
    },
    {
        "name": "Ingrid Solberg",
        "bio": (
            "Ingrid covers international cinema and comedy, often in the same week. She "
            "interviews directors about the scenes they almost cut."
        ),
        "x": "ingridsolberg",
    },
]

FESTIVALS = [
    {"name": "SIFF", "year": 2012, "city": "Seattle"},
    {"name": "Sundance", "year": 2012, "city": "Park City"},
]

# (title, year, directors, runtime, countries, synopsis, imdb id)
FILMS = [
    (
        "Ai Weiwei: Never Sorry",
        2012,
        ["Alison Klayman"],
        91,
        "USA",
        "A portrait of the Chinese artist Ai Weiwei as his work and his online activism bring "
        "him into open conflict with the state.",
        "tt2089598",
    ),
    (
        "Beasts of the Southern Wild",
        2012,
        ["Benh Zeitlin"],
        93,
        "USA",
        "In a bayou community cut off by a levee, six-year-old Hushpuppy faces a storm, her "
        "father's illness and the return of ancient beasts.",
        "tt2125435",
    ),
    (
        "Searching for Sugar Man",
        2012,
        ["Malik Bendjelloul"],
        86,
        "Sweden, UK",
        "Two South African fans set out to learn what became of Rodriguez, a Detroit singer "
        "whose records vanished at home and became anthems abroad.",
        "tt2125608",
    ),
    (
        "Safety Not Guaranteed",
        2012,
        ["Colin Trevorrow"],
        86,
        "USA",
        "Magazine staffers answer a classified ad from a man looking for a partner in time travel.",
        "tt1862079",
    ),
    (
        "The Imposter",
        2012,
        ["Bart Layton"],
        99,
        "UK",
        "A young Frenchman convinces a Texas family that he is their son, missing for three years.",
        "tt1966604",
    ),
    (
        "Your Sister's Sister",
        2011,
        ["Lynn Shelton"],
        90,
        "USA",
        "A grieving man retreats to a family cabin on an island and finds his best friend's "
        "sister already there.",
        "tt1742683",
    ),
    (
        "Moonrise Kingdom",
        2012,
        ["Wes Anderson"],
        94,
        "USA",
        "Two twelve-year-olds run away together on a New England island in 1965, and the "
        "adults go looking for them.",
        "tt1748122",
    ),
    (
        "Celeste and Jesse Forever",
        2012,
        ["Lee Toland Krieger"],
        92,
        "USA",
        "A divorcing couple try to stay best friends while their lives move in different directions.",
        "tt1405365",
    ),
    (
        "Grabbers",
        2012,
        ["Jon Wright"],
        94,
        "Ireland, UK",
        "Tentacled creatures come ashore on an Irish island whose residents learn that being "
        "drunk keeps them safe.",
        "tt1525366",
    ),
]

REVIEWS = [
    {
        "film": "Ai Weiwei: Never Sorry",
        "title": "Ai Weiwei: Never Sorry",
        "slug": "ai-weiwei-never-sorry",
        "author": "Spencer Whitlock",
        "grade": "A-",
        "festival": ("SIFF", 2012),
        "tags": ["documentary", "siff-2012", "art", "china"],
        "summary": (
            "Alison Klayman's debut follows the artist Ai Weiwei through years of provocation and "
            "surveillance, and plays less like a profile than a thriller with the state as antagonist."
        ),
        "body": [
            (
                "text",
                "<p>Most of us know, in the abstract, that the Chinese state watches and punishes "
                "its critics. <i>Ai Weiwei: Never Sorry</i> takes that abstraction away. For ninety "
                "minutes you stand next to a man who is followed, filmed, beaten and finally "
                "detained, and who answers each move with another work of art.</p>"
                "<h2>An artist who reads the law</h2>"
                "<p>Ai first became famous internationally for his part in the Beijing Olympic "
                "stadium, then notorious at home for calling the Games propaganda. After the 2008 "
                "Sichuan earthquake he set volunteers to collect the names of the schoolchildren "
                "killed in badly built classrooms, and from then on he was treated as an enemy. "
                "What the film captures best is how precisely he knows the rules he is bending: "
                "he is provocative, but never careless.</p>",
            ),
            ("image", 1),
            (
                "pull_quote",
                {
                    "quote": "It plays less like a documentary than a surveillance thriller in "
                    "which the cameras are there to keep the subject alive.",
                    "attribution": "Spencer Whitlock",
                },
            ),
            (
                "text",
                "<p>Alison Klayman was a first-time director with extraordinary access: the studio, "
                "the police station, the family table. She stays out of the frame, and the film is "
                "better for it. The cat-and-mouse between Ai and the authorities, played out across "
                "sculpture, blog posts and tweets, gives the film the pull of a genre picture.</p>",
            ),
            ("image", 2),
            (
                "text",
                "<p>It is not an impartial film, and it does not pretend to be; the state would "
                "hardly have sat for an interview. Nor is it hagiography: Ai's private life is shown "
                "without varnish. My one reservation is structural. The film cuts between the "
                "present and Ai's earlier years, and those transitions are sometimes clumsy.</p>"
                "<p>The documentaries I value most introduce me to a subject I knew little about and "
                "leave me arguing with myself afterwards. This one does both. Read our "
                '<a href="/interviews/alison-klayman-interview/">interview with Alison Klayman</a> '
                "for how it was made.</p>",
            ),
        ],
    },
    {
        "film": "Beasts of the Southern Wild",
        "title": "Beasts of the Southern Wild",
        "slug": "beasts-of-the-southern-wild",
        "author": "Maya Okafor",
        "grade": "A",
        "festival": ("Sundance", 2012),
        "tags": ["drama", "first-feature", "sundance-2012"],
        "summary": "A flood, a dying father and a six-year-old who refuses to be afraid: "
        "Benh Zeitlin's first feature is ragged, loud and unforgettable.",
        "body": [
            (
                "text",
                "<p>Hushpuppy narrates the end of her world as if it were a fact of nature, which "
                "to her it is. Zeitlin shoots the Bathtub, her community beyond the levee, in "
                "handheld 16mm that makes every shack and boat feel lived in.</p>",
            ),
            ("image", 1),
            (
                "pull_quote",
                {"quote": "A fable built from driftwood, grief and sheer nerve.", "attribution": ""},
            ),
            (
                "text",
                "<p>Quvenzhané Wallis carries the film without once seeming to act. When the "
                "aurochs finally arrive, the film has earned its myth.</p>",
            ),
        ],
    },
    {
        "film": "Searching for Sugar Man",
        "title": "Searching for Sugar Man",
        "slug": "searching-for-sugar-man",
        "author": "Spencer Whitlock",
        "grade": "B+",
        "festival": ("Sundance", 2012),
        "tags": ["documentary", "music", "sundance-2012"],
        "summary": "A music detective story that knows exactly when to withhold and when to "
        "reveal, even if it smooths over some inconvenient facts.",
        "body": [
            (
                "text",
                "<p>Bendjelloul structures the search for Rodriguez like a mystery, and it works: "
                "the second half lands with real emotional force.</p>",
            ),
            ("pull_quote", {"quote": "The rare music documentary with a genuine twist.", "attribution": ""}),
            ("image", 1),
        ],
    },
    {
        "film": "Safety Not Guaranteed",
        "title": "Safety Not Guaranteed",
        "slug": "safety-not-guaranteed",
        "author": "Daniel Reyes",
        "grade": "B",
        "festival": ("SIFF", 2012),
        "tags": ["comedy", "science-fiction", "siff-2012"],
        "summary": "A time-travel comedy that cares more about loneliness than paradoxes, "
        "and is better for it.",
        "body": [
            (
                "text",
                "<p>Mark Duplass plays the man who placed the ad with total sincerity, which is the "
                "joke and also the point. Aubrey Plaza's deadpan slowly thaws.</p>",
            ),
            ("image", 1),
            ("pull_quote", {"quote": "Bring your own weapons; leave your cynicism.", "attribution": ""}),
        ],
    },
    {
        "film": "The Imposter",
        "title": "The Imposter",
        "slug": "the-imposter",
        "author": "Ingrid Solberg",
        "grade": "B+",
        "festival": ("Sundance", 2012),
        "tags": ["documentary", "true-crime", "sundance-2012"],
        "summary": "Bart Layton turns a true story of identity theft into a documentary that "
        "keeps changing what you think you are watching.",
        "body": [
            (
                "text",
                "<p>Layton lets the imposter tell his own story straight to camera, and the charm "
                "is the most unsettling thing in the film.</p>",
            ),
            ("pull_quote", {"quote": "You will distrust every narrator for a week.", "attribution": ""}),
            ("image", 1),
        ],
    },
    {
        "film": "Your Sister's Sister",
        "title": "Your Sister's Sister",
        "slug": "your-sisters-sister",
        "author": "Maya Okafor",
        "grade": "B-",
        "festival": ("SIFF", 2012),
        "tags": ["drama", "comedy", "siff-2012", "seattle"],
        "summary": "Three actors, one cabin and a great deal of improvised honesty; "
        "the last act cannot quite hold what the first two built.",
        "body": [
            (
                "text",
                "<p>Lynn Shelton's method, a loose outline and a lot of trust, gives the first hour "
                "the texture of eavesdropping.</p>",
            ),
            ("image", 1),
            ("pull_quote", {"quote": "Eavesdropping, elevated to an art form.", "attribution": ""}),
        ],
    },
    {
        "film": "Moonrise Kingdom",
        "title": "Moonrise Kingdom",
        "slug": "moonrise-kingdom",
        "author": "Ingrid Solberg",
        "grade": "A-",
        "festival": None,
        "tags": ["comedy", "romance"],
        "summary": "Wes Anderson's most tender film so far: a storybook romance between two "
        "runaways, framed with his usual precision and an unusual warmth.",
        "body": [
            (
                "text",
                "<p>The symmetry is all there, but this time the dollhouse has a storm coming "
                "through it, and the children are braver than the adults.</p>",
            ),
            ("image", 1),
            ("pull_quote", {"quote": "Precision in the service of feeling.", "attribution": ""}),
        ],
    },
    {
        "film": "Celeste and Jesse Forever",
        "title": "Celeste and Jesse Forever",
        "slug": "celeste-and-jesse-forever",
        "author": "Maya Okafor",
        "grade": "C+",
        "festival": ("Sundance", 2012),
        "tags": ["comedy", "romance", "sundance-2012"],
        "summary": "Rashida Jones is sharp in a break-up comedy that keeps flinching from "
        "the sadness it sets up.",
        "body": [
            ("text", "<p>The premise is honest; the film around it is less sure of itself.</p>"),
            ("pull_quote", {"quote": "Smarter than its genre, shyer than its star.", "attribution": ""}),
        ],
    },
    {
        "film": "Grabbers",
        "title": "Grabbers",
        "slug": "grabbers",
        "author": "Daniel Reyes",
        "grade": "C",
        "festival": ("SIFF", 2012),
        "tags": ["horror", "comedy", "siff-2012"],
        "summary": "A creature feature with one very good joke about whiskey and not quite "
        "enough to go with it.",
        "body": [
            ("text", "<p>The monsters are handsome and the pub siege is fun; the rest idles.</p>"),
            ("image", 1),
            ("pull_quote", {"quote": "Drink responsibly: your life depends on it.", "attribution": ""}),
        ],
    },
]

INTERVIEWS = [
    {
        "film": "Ai Weiwei: Never Sorry",
        "title": "Alison Klayman on filming Ai Weiwei",
        "slug": "alison-klayman-interview",
        "authors": ["Spencer Whitlock"],
        "interviewees": ["Alison Klayman"],
        "festival": ("SIFF", 2012),
        "tags": ["documentary", "siff-2012", "interview"],
        "summary": "The director of Ai Weiwei: Never Sorry on access, staying out of the "
        "frame, and what she left on the cutting-room floor.",
        "body": [
            (
                "text",
                "<p>We met Alison Klayman the morning after her film screened at SIFF. Read our "
                '<a href="/reviews/ai-weiwei-never-sorry/">review of the film</a>.</p>',
            ),
            (
                "question_answer",
                {
                    "question": "How did you come to be in Ai Weiwei's studio in the first place?",
                    "answer": "<p>I was living in Beijing and was asked to make a short video about "
                    "a photography show of his. The short became a feature over the next few years.</p>",
                    "speaker": "Alison Klayman",
                },
            ),
            (
                "question_answer",
                {
                    "question": "You almost never appear on screen. Was that a rule?",
                    "answer": "<p>It was a choice. Ai is the story; my job was to be in the room "
                    "and keep the camera running.</p>",
                    "speaker": "Alison Klayman",
                },
            ),
            ("image", 1),
            (
                "pull_quote",
                {
                    "quote": "My job was to be in the room and keep the camera running.",
                    "attribution": "Alison Klayman",
                },
            ),
        ],
    },
    {
        "film": "Your Sister's Sister",
        "title": "Lynn Shelton on writing with actors",
        "slug": "lynn-shelton-interview",
        "authors": ["Maya Okafor"],
        "interviewees": ["Lynn Shelton"],
        "festival": ("SIFF", 2012),
        "tags": ["interview", "siff-2012", "seattle"],
        "summary": "The Seattle director explains how an outline and three actors become a film.",
        "body": [
            (
                "question_answer",
                {
                    "question": "How much of the dialogue was written?",
                    "answer": "<p>Very little was fixed. We had the shape of every scene, and the "
                    "actors found the words.</p>",
                    "speaker": "Lynn Shelton",
                },
            ),
        ],
    },
    {
        "film": "The Imposter",
        "title": "Bart Layton on the unreliable narrator",
        "slug": "bart-layton-interview",
        "authors": ["Ingrid Solberg"],
        "interviewees": ["Bart Layton"],
        "festival": ("Sundance", 2012),
        "tags": ["interview", "documentary", "sundance-2012"],
        "summary": "Why the director of The Imposter let his subject talk directly to the audience.",
        "body": [
            (
                "question_answer",
                {
                    "question": "Were you worried about giving him a platform?",
                    "answer": "<p>Constantly. The film only works if the audience feels seduced "
                    "and then catches itself.</p>",
                    "speaker": "Bart Layton",
                },
            ),
            ("image", 1),
        ],
    },
    {
        "film": "Safety Not Guaranteed",
        "title": "Colin Trevorrow on small films with big ideas",
        "slug": "colin-trevorrow-interview",
        "authors": ["Daniel Reyes", "Maya Okafor"],
        "interviewees": ["Colin Trevorrow"],
        "festival": ("SIFF", 2012),
        "tags": ["interview", "science-fiction", "siff-2012"],
        "summary": "The director on shooting a time-travel story for almost nothing.",
        "body": [
            (
                "question_answer",
                {
                    "question": "Did you ever want to show the machine?",
                    "answer": "<p>We argued about it every day. The film is about belief, so the "
                    "answer mattered less than the question.</p>",
                    "speaker": "Colin Trevorrow",
                },
            ),
        ],
    },
]
