import os
import stat

import pytest

from thermokinetic.io import atomic_write_text


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_results_files_get_the_users_normal_permissions(tmp_path, mask, mode):
    old = os.umask(mask)
    try:
        p = atomic_write_text(tmp_path / "summary.json", "{}\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE(p.stat().st_mode) == mode
    assert p.read_text() == "{}\n" and not list(tmp_path.glob(".*.tmp"))
