"""The organisation-wide defaults a new installation starts with: the default
guidelines every new group copies, and the first crisis lines for "Get help
now". Coordinators edit both in the app; changing this file later changes
nothing in an existing installation (migration 0002 and seed_demo use it).
"""

GUIDELINES = [
    (
        "Listen without judgment",
        "Give each person your full attention. We are here to understand, not to "
        "decide whether someone is right.",
    ),
    (
        "Respect each person's experience",
        "Everyone's story is their own. Differences in background, belief and "
        "recovery are welcome here.",
    ),
    (
        "What is shared here stays here",
        "Do not repeat outside the group who was here or what they said. You may "
        "share what you learned, never whose story it was.",
    ),
    (
        "Speak from your own experience",
        'Say "I" rather than "you" or "people": talk about what happened to you '
        "and how you felt.",
    ),
    (
        "No advice unless asked",
        "Most of us need to be heard more than to be fixed. If you want to offer "
        "a suggestion, ask first.",
    ),
    (
        "Everyone may pass",
        "Nobody has to speak. Saying \u201cpass\u201d is always fine, and nobody "
        "will ask why.",
    ),
    (
        "Phones away",
        "Keep phones silent and out of sight, and never record or photograph a "
        "meeting.",
    ),
    (
        "Look after yourself and ask for help",
        "Step out whenever you need to. If you are struggling, tell a facilitator "
        'or use "Get help now" at the bottom of every page.',
    ),
]

CRISIS_LINES = [
    (
        "Samaritans (UK and Ireland)",
        "116 123",
        "",
        "https://www.samaritans.org",
        "24 hours, free",
    ),
    (
        "Shout (UK)",
        "",
        "Text SHOUT to 85258",
        "https://giveusashout.org",
        "24 hours, free",
    ),
    (
        "988 Suicide & Crisis Lifeline (US)",
        "988",
        "Text 988",
        "https://988lifeline.org",
        "24 hours",
    ),
    (
        "Find a helpline (any country)",
        "",
        "",
        "https://findahelpline.com",
        "Directory of free helplines",
    ),
]


def create_defaults(DefaultGuidelineItem, CrisisResource) -> None:
    """Create the shipped defaults where there are none. Takes the model
    classes so migration 0002 can pass its historical models."""
    if not DefaultGuidelineItem.objects.exists():
        DefaultGuidelineItem.objects.bulk_create(
            DefaultGuidelineItem(position=i, title=title, explanation=text)
            for i, (title, text) in enumerate(GUIDELINES, start=1)
        )
    if not CrisisResource.objects.filter(language="en").exists():
        CrisisResource.objects.bulk_create(
            CrisisResource(
                language="en",
                position=i,
                name=name,
                phone=phone,
                text_line=text,
                url=url,
                hours=hours,
            )
            for i, (name, phone, text, url, hours) in enumerate(CRISIS_LINES, start=1)
        )
