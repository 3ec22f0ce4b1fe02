from __future__ import annotations

from datetime import datetime

import attrs

# The folders Freqtrade expects under a user_data directory.
USER_DATA_FOLDERS = ("strategies", "backtest_results", "hyperopt_results", "data", "logs")


@attrs.define
class UserWorkspace:
    """A user's own Freqtrade `user_data/` directory, created with the user."""

    owner_id: str
    created_at: datetime
