"""Program records the program tests start from, on the shared `world` (tests/conftest.py)."""

import pytest

from khoosheh.programs import services


@pytest.fixture
def diagnosed_case(world):
    """An Isfahan idle unit's clinic case, opened and diagnosed (legal), by Isfahan's staff."""
    case = services.open_case(world.units["idle_isfahan"], world.cast.isfahan)
    services.diagnose(case, world.cast.isfahan, problems=["legal"], main_problem="legal")
    return case


@pytest.fixture
def project(world):
    """An Isfahan half-finished unit's project at 40% physical progress, registered by national staff."""
    return services.register_project(world.units["half_isfahan"], world.cast.national, physical_progress=40)


@pytest.fixture
def consortium(world):
    """A Yazd export consortium of three of the cluster's members, formed by national staff."""
    return services.form_consortium(world.cast.national, name="کنسرسیوم کاشی", province_code="21",
                                    members=world.members[:3])
