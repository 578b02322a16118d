"""What a new installation starts with: an agenda per meeting format and an
icebreaker library. Coordinators and leads edit both in the app; changing this
file later changes nothing in an existing installation."""

AGENDAS = {
    "sharing_circle": [
        ("Welcome and guidelines reminder", 5),
        ("Icebreaker", 10),
        ("Check-in round", 15),
        ("Sharing", 45),
        ("Reflection", 10),
        ("Close", 5),
    ],
    "workshop": [
        ("Welcome and guidelines reminder", 5),
        ("Icebreaker", 10),
        ("Workshop", 55),
        ("Questions and reflection", 15),
        ("Close", 5),
    ],
    "guest_speaker": [
        ("Welcome and guidelines reminder", 5),
        ("Introducing the speaker", 5),
        ("Talk", 40),
        ("Questions", 25),
        ("Reflection and close", 15),
    ],
    "peer_panel": [
        ("Welcome and guidelines reminder", 5),
        ("Panel introductions", 10),
        ("Panel conversation", 40),
        ("Questions from the group", 25),
        ("Close", 10),
    ],
    "reflection": [
        ("Welcome and guidelines reminder", 5),
        ("Icebreaker", 10),
        ("Quiet reflection", 15),
        ("Sharing what came up", 45),
        ("Close", 15),
    ],
    "open_feedback": [
        ("Welcome and guidelines reminder", 5),
        ("What is working for us", 30),
        ("What we could change", 30),
        ("Agreeing next steps", 20),
        ("Close", 5),
    ],
    "social": [
        ("Welcome", 10),
        ("Icebreaker", 15),
        ("Time together", 60),
        ("Close", 5),
    ],
}

ICEBREAKERS = [
    ("What is one small thing that went well for you this week?", "check-in", "light"),
    ("If today had a weather forecast, what would it be?", "check-in", "light"),
    ("What is a song that lifts your mood?", "fun", "light"),
    ("Share a place where you feel calm.", "wellbeing", "light"),
    ("What is something you are looking forward to?", "hope", "light"),
    ("Name one thing you did for yourself recently.", "self-care", "light"),
    ("What would you tell yourself a year ago?", "reflection", "deeper"),
    ("What helps you when a day feels heavy?", "coping", "deeper"),
    ("Who has made a difference to you, and how?", "connection", "deeper"),
    (
        "What is something you have learned about yourself in this group?",
        "reflection",
        "deeper",
    ),
    ("What does feeling supported look like for you?", "connection", "deeper"),
    ("Describe your week in three words.", "check-in", "light"),
]


def create_defaults(AgendaTemplate, Icebreaker) -> None:
    """Create the shipped agendas and icebreakers where there are none. Takes
    the model classes so a migration can pass its historical models."""
    for format_, items in AGENDAS.items():
        AgendaTemplate.objects.get_or_create(
            format=format_,
            defaults={"items": [{"title": t, "minutes": m} for t, m in items]},
        )
    if not Icebreaker.objects.filter(group__isnull=True).exists():
        Icebreaker.objects.bulk_create(
            Icebreaker(prompt=prompt, category=category, depth=depth)
            for prompt, category, depth in ICEBREAKERS
        )
