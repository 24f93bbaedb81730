"""Which of judge's runtimes runs a bundle's ``docker_image`` (the BUNDLE_DOCKER_IMAGES
setting: image names or shell-style patterns to runtime names)."""

from __future__ import annotations

from fnmatch import fnmatchcase

from flask import current_app
from flask_babel import gettext as _

from judge.bundles.parts import YAML
from judge.scoring.setup import runtimes


def runtime_for(image: str) -> str | None:
    """The runtime the operator maps ``image`` to: its own name first, then the first
    pattern that matches it; None if nothing does."""
    mapping = current_app.config["BUNDLE_DOCKER_IMAGES"] or {}
    if image in mapping:
        return str(mapping[image])
    return next((str(name) for pattern, name in mapping.items() if fnmatchcase(image, pattern)),
                None)  # fmt: skip


def image_for(runtime: str) -> str | None:
    """The image a bundle names to run on ``runtime``: the first image name (not a pattern)
    that BUNDLE_DOCKER_IMAGES maps to it; None if none does."""
    mapping = current_app.config["BUNDLE_DOCKER_IMAGES"] or {}
    return next((str(image) for image, name in mapping.items()
                 if str(name) == runtime and not any(c in str(image) for c in "*?[")),
                None)  # fmt: skip


def problems_with(image: str, file: str = YAML) -> list[str]:
    """What stops a bundle's image from running here (an empty list: nothing); the errors
    name ``file``."""
    name = runtime_for(image)
    if name is None:
        return [_("%(file)s: docker_image “%(image)s” runs on no runtime here; the operator "
                  "maps images to runtimes in BUNDLE_DOCKER_IMAGES.", file=file,
                  image=image)]  # fmt: skip
    if name not in runtimes():
        return [_("%(file)s: docker_image “%(image)s” maps to the runtime “%(name)s”, which "
                  "is not configured (SANDBOX_RUNTIMES).", file=file, image=image,
                  name=name)]  # fmt: skip
    return []
