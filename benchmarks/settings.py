"""Production settings plus the benchmark URLs (stock Wagtail API and a floor view)."""

from site_config.settings.production import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
