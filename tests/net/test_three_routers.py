"""Scenario 5: three routers. The highest priority wins; when it crashes the next highest
takes over, never the lowest."""
import pytest

from conftest import TRIPLES, impl_id
from netlab import MARGIN, InstanceSpec, master_down_interval, wait_for

ADVERT = 0.3
SPEC = InstanceSpec(advert_int=ADVERT)


@pytest.mark.parametrize("impls", TRIPLES, ids=impl_id)
def test_next_highest_takes_over(make_group, impls):
    g = make_group(impls)
    g.configure([SPEC], [200, 150, 100])
    g.start()
    r1, r2, r3 = g
    g.wait_owner(r1, master_down_interval(ADVERT, 200) + ADVERT + MARGIN)
    assert wait_for(lambda: r2.last_state() == r3.last_state() == "BACKUP", MARGIN), (
        g.describe())
    r3_masters = r3.states().count("MASTER")

    r1.kill9()
    g.wait_owner(r2, master_down_interval(ADVERT, 150) + MARGIN)
    # r2's Skew_Time is shorter than r3's: r2's first advert reaches r3 before r3's timer.
    stable = not wait_for(lambda: g.owners() != [r2], 2 * master_down_interval(ADVERT, 100))
    assert stable, g.describe()
    assert r3.states().count("MASTER") == r3_masters, "r3 became MASTER\n" + g.describe()
    assert r3.last_state() == "BACKUP", g.describe()
