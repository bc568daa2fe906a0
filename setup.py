"""Maps the top-level ``templates/`` and ``migrations/`` into the wheel as ``forum/templates`` and
``forum/migrations``.

The repository keeps both folders at the top (the layout the docs promise); an installed package has
only what lies inside ``forum/``. pyproject.toml cannot add mapped packages beside ``packages.find``,
so this file does that one thing; everything else is configured in pyproject.toml.
``forum.app.data_folder`` finds the folders in either place.
"""

from setuptools import find_namespace_packages, setup

MAPPED = {"forum.templates": "templates", "forum.migrations": "migrations"}


NOT_PACKAGES = ["__pycache__", "*.__pycache__"]


def packages() -> list[str]:
    """``forum``, every folder below it and below the mapped folders.

    Data folders (``static/js``, ``templates/series``) are listed too: setuptools ships a folder's
    files as some package's, and warns about folders that are no package."""
    found = find_namespace_packages(include=["forum", "forum.*"], exclude=NOT_PACKAGES)
    for package, folder in MAPPED.items():
        subfolders = find_namespace_packages(where=folder, exclude=NOT_PACKAGES)
        found += [package] + [f"{package}.{sub}" for sub in subfolders]
    return found


setup(packages=packages(), package_dir=MAPPED)
