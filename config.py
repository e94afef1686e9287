"""Configuration classes, read from the environment.

Secrets never live in code: the production configuration refuses to start
without ``SECRET_KEY`` in the environment.
"""

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'cctv_requests.sqlite'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # District configuration: wards, cameras, priorities and meeting dates.
    DISTRICT_CONFIG = os.environ.get("DISTRICT_CONFIG")
    # The council's name comes from the district configuration unless set here.
    COUNCIL_NAME = os.environ.get("COUNCIL_NAME")
    SERVICE_NAME = "CCTV camera requests"
    PAGE_SIZE = 20
    # Published counts below this are shown as "fewer than N" (DESIGN.md section 3).
    SMALL_NUMBER_THRESHOLD = int(os.environ.get("SMALL_NUMBER_THRESHOLD", "5"))
    MAX_CONTENT_LENGTH = 512 * 1024
    # The map of camera sites: where its tiles come from and the credit they
    # need (plain text). The CSP lets images load from this URL's origin.
    MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "© OpenStreetMap contributors")
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    REMEMBER_COOKIE_DURATION = timedelta(0)
    DEMO_DATA_ALLOWED = True
    TESTING = False


class DevelopmentConfig(Config):
    SECRET_KEY = os.environ.get("SECRET_KEY") or "development-only-not-secret"


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-only-not-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    # Nothing listens here: the tests run as on a machine with no internet,
    # so the map page must work without its tiles.
    MAP_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    DEMO_DATA_ALLOWED = False


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}
