"""The admin's own titles, set here so they do not depend on any content app being loaded.

Django's admin autodiscovery imports this module like any app's admin.py.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Newsroom admin")
admin.site.site_title = _("Newsroom admin")
admin.site.index_title = _("Editors' workspace")
