"""Project constants that several rooms share: where the site and the repository live, the package's name.

Declared once here so that the site, the open-data package and the forms never import each other for a URL.
"""

from __future__ import annotations

SITE_URL = "https://kansrijke-start.github.io/kansrijk/"
REPOSITORY_URL = "https://github.com/kansrijke-start/kansrijk"
PACKAGE_NAME = "kansrijke-start"
