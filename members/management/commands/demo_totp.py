from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from .seed_demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the demo coordinator's current two-factor code (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_totp is refused when DEBUG is off.")
        import pyotp  # a development dependency, like the demo itself

        self.stdout.write(pyotp.TOTP(DEMO_TOTP_SECRET).now())
