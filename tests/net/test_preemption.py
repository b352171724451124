"""Scenario 3: preemption. The higher-priority router r1 stops, r2 takes over, r1 comes back:
by default r1 takes the VIP back; with nopreempt it does not; with preempt_delay N it does,
but not before about N seconds after it started."""
import time

import pytest

from conftest import PAIRS, impl_id
from netlab import MARGIN, InstanceSpec, master_down_interval, wait_for

ADVERT = 0.3
MDI_HIGH = master_down_interval(ADVERT, 200)
MDI_LOW = master_down_interval(ADVERT, 100)
PREEMPT_DELAY = 3


def fail_over_to_r2(make_group, impls, spec):
    g = make_group(impls)
    g.configure([spec], [200, 100])
    g.start()
    g.wait_owner(g[0], MDI_HIGH + ADVERT + MARGIN)
    g[0].terminate()
    g.wait_owner(g[1], ADVERT + MARGIN)
    return g


@pytest.mark.parametrize("impls", PAIRS, ids=impl_id)
def test_preempt(make_group, impls):
    g = fail_over_to_r2(make_group, impls, InstanceSpec(advert_int=ADVERT))
    g[0].start()
    g.wait_owner(g[0], MDI_HIGH + ADVERT + MARGIN)
    assert wait_for(lambda: g[1].last_state() == "BACKUP", MARGIN), g.describe()


@pytest.mark.parametrize("impls", PAIRS, ids=impl_id)
def test_nopreempt(make_group, impls):
    g = fail_over_to_r2(make_group, impls, InstanceSpec(advert_int=ADVERT, nopreempt=True))
    g[0].start()
    # r1 would have preempted within MDI_HIGH of hearing r2: watch for twice that and more.
    changed = wait_for(lambda: g.owners() != [g[1]], 2 * MDI_HIGH + MARGIN)
    assert not changed, "r1 preempted despite nopreempt\n" + g.describe()
    assert g[0].last_state() == "BACKUP", g.describe()


@pytest.mark.parametrize("impls", PAIRS, ids=impl_id)
def test_preempt_delay(make_group, impls):
    spec = InstanceSpec(advert_int=ADVERT, preempt_delay=PREEMPT_DELAY)
    g = fail_over_to_r2(make_group, impls, spec)
    g[0].start()
    started = g[0].started_at
    assert wait_for(lambda: g[0].host.has(spec.vips[0]), PREEMPT_DELAY + MDI_HIGH + MARGIN,
                    0.02), "r1 never preempted\n" + g.describe()
    elapsed = time.monotonic() - started
    print("r1 preempted %.3fs after its start (preempt_delay %ds)" % (elapsed, PREEMPT_DELAY))
    # Not before the delay (less the tolerance of one interval and some scheduling).
    assert elapsed >= PREEMPT_DELAY - ADVERT - 0.2, (
        "r1 preempted after %.2fs, preempt_delay %ds\n%s" % (elapsed, PREEMPT_DELAY,
                                                            g.describe()))
    g.wait_owner(g[0], MARGIN)


@pytest.mark.parametrize("impls", [("vigild", "vigild"), ("vigild", "keepalived")],
                         ids=impl_id)
def test_lower_master_dying_during_preempt_delay(make_group, impls):
    """r1 (preempt_delay 10) starts beside a lower master r2 and waits to preempt it; r2 dies
    during the wait. r1 takes over one Master_Down_Interval after r2's last advert, as
    keepalived 2.2.7 does (3.05-3.06 s after the kill at advert_int 1), not after the whole
    delay (review defect: 11.3 s)."""
    delay = 10
    spec = InstanceSpec(advert_int=ADVERT, preempt_delay=delay)
    g = make_group(impls)
    g.configure([spec], [200, 100])
    g[1].start()
    g.wait_owner(g[1], MDI_LOW + ADVERT + MARGIN)
    g[0].start()
    g.wait_settled(g[1], g[0])  # r1 takes r2's adverts as its master's while it waits
    killed = time.monotonic()
    g[1].kill9()
    assert wait_for(lambda: g[0].host.has(spec.vips[0]), MDI_HIGH + MARGIN, 0.02), (
        "r1 did not take over within Master_Down_Interval\n" + g.describe())
    elapsed = time.monotonic() - killed
    print("r1 took over %.3fs after r2 died (preempt_delay %ds)" % (elapsed, delay))
    assert elapsed < delay - 2, g.describe()
