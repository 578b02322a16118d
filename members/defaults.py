"""Version 1 of each consent text, as shipped (migration 0005 and seed_demo
use it). Later versions are published through
members.services.consent_text_publish, never by editing this file."""

CONSENT_TEXTS = {
    "survey_reports": """Your answers to the short self-assessment surveys are always yours: you can see them and follow how you are doing over time, whatever you choose here.

If you say yes, your answers are also counted, without your name, in the figures your group's leads and our coordinators see, for example "most members feel more confident after three months". These figures help groups get better and show the people who fund them that peer support works.

Nobody else sees your own answers. A figure is only shown when enough people are counted in it that no one can work out what you said.

You can change your mind at any time. From then on your answers are left out of new figures and reports; reports already made are not changed, and they never show anyone's own answers.""",
    "newsletter": """About once a month we send a short newsletter by e-mail: stories members chose to share, workshops coming up and news from the groups.

It goes to the e-mail address on your account. We never give your address to anyone else.

You can stop it at any time on this page.""",
    "buddy_email": """Your buddy is the member who helps you find your feet when you are new to a group. If you say yes, your buddy can see the e-mail address on your account, so they can write to you between meetings.

Only your buddy sees it, and only while you are paired. If you say no, you can still talk at meetings and through the check-ins in Circle.

You can change your mind at any time. Your buddy will no longer see your address from then on.""",
}


def create_consent_texts(ConsentText) -> None:
    """Version 1 of each text, where missing. Takes the model class so
    migration 0005 can pass its historical model."""
    for kind, text in CONSENT_TEXTS.items():
        ConsentText.objects.get_or_create(kind=kind, version=1, defaults={"text": text})
