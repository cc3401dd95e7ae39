from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The project's shared pieces (Arabic text, anti-spam, admin language) as an app.

    Being an installed app gives it template tags and a place for management commands.
    """

    name = "newsroom"
    verbose_name = "Newsroom"
