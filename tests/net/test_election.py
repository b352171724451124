"""Scenario 1: election by priority. Both routers start as BACKUP; after the master down
interval the higher priority owns the VIP, alone, whichever implementation it runs."""
import pytest

from conftest import PAIRS, impl_id
from netlab import MARGIN, InstanceSpec, master_down_interval, wait_for

VARIANTS = {
    "v2-inet-pass": InstanceSpec(version=2, advert_int=1, auth_pass="vigilpw"),
    "v2-inet-ah": InstanceSpec(version=2, advert_int=1, auth_pass="vigilah", auth_type="AH"),
    "v3-inet": InstanceSpec(version=3, advert_int=0.3),
    "v3-inet-unicast": InstanceSpec(version=3, advert_int=0.3, unicast=True),
    "v3-inet6": InstanceSpec(version=3, advert_int=0.3, family="inet6"),
    "v3-inet6-unicast": InstanceSpec(version=3, advert_int=0.3, family="inet6", unicast=True),
}


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("impls", PAIRS, ids=impl_id)
def test_higher_priority_wins(make_group, impls, variant):
    """r1 has the higher priority; the mirrored pair makes each implementation win once."""
    spec = VARIANTS[variant]
    g = make_group(impls)
    g.configure([spec], [200, 100])
    g.start()
    winner, loser = g[0], g[1]
    vip = spec.vips[0]
    mdi = master_down_interval(spec.advert_int, 200, spec.version)
    g.wait_owner(winner, mdi + spec.advert_int + MARGIN, vip)
    # It stays that way: no flapping over a few more adverts.
    stable = not wait_for(lambda: g.owners(vip) != [winner], max(1.0, 2 * spec.advert_int))
    assert stable, "ownership changed after the election\n" + g.describe()
    assert wait_for(lambda: winner.last_state() == "MASTER", MARGIN), g.describe()
    assert loser.last_state() == "BACKUP", g.describe()
