"""Scenario 4: FAULT. The master's eth0 goes down: it enters FAULT (notify, and vigild's JSON
status), the backup takes over; the link comes back: the old master returns to BACKUP and,
having the higher priority, preempts."""
import pytest

from conftest import PAIRS, impl_id
from netlab import MARGIN, InstanceSpec, instance_status, master_down_interval, sh, wait_for

ADVERT = 0.3
SPEC = InstanceSpec(advert_int=ADVERT)


@pytest.mark.parametrize("impls", PAIRS, ids=impl_id)
def test_link_down_is_fault(make_group, impls):
    g = make_group(impls)
    g.configure([SPEC], [200, 100])
    g.start()
    r1, r2 = g[0], g[1]
    g.wait_owner(r1, master_down_interval(ADVERT, 200) + ADVERT + MARGIN)

    sh("ip", "-n", r1.host.ns, "link", "set", "eth0", "down")
    g.wait_owner(r2, master_down_interval(ADVERT, 100) + MARGIN)
    assert wait_for(lambda: r1.last_state() == "FAULT", MARGIN), g.describe()
    if r1.is_vigil:
        assert instance_status(r1.status())["state"] == "FAULT", g.describe()

    sh("ip", "-n", r1.host.ns, "link", "set", "eth0", "up")
    g.wait_owner(r1, master_down_interval(ADVERT, 200) + ADVERT + MARGIN)
    wait_for(lambda: r1.last_state() == "MASTER", MARGIN)
    states = r1.states()
    after_fault = states[len(states) - states[::-1].index("FAULT"):]
    assert after_fault and after_fault[-1] == "MASTER", (
        "r1 after FAULT: %s\n%s" % (after_fault, g.describe()))
    assert wait_for(lambda: r2.last_state() == "BACKUP", MARGIN), g.describe()
    if r1.is_vigil:
        assert instance_status(r1.status())["state"] == "MASTER", g.describe()
