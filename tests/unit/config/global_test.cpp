// global_defs: every keyword stores its value, defaults, validation, aliases.
#include <gtest/gtest.h>

#include "test_util.h"

namespace vigil::config {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::has_diag;
using testing::load;

// Loads "global_defs {\n  LINES\n}\n".
LoadResult defs(const std::string& lines) {
    return load("global_defs {\n" + lines + "}\n");
}

const GlobalDefs& ok_defs(const LoadResult& r) {
    EXPECT_TRUE(r.ok()) << testing::diags(r);
    static const GlobalDefs empty;
    return r.ok() ? r.model->globals.defs : empty;
}

TEST(GlobalDefs, DefaultsWhenAbsent) {
    const auto r = load("");
    const auto& d = ok_defs(r);
    EXPECT_EQ(d.router_id, "director1.example.com");
    EXPECT_EQ(d.notification_email_from, "keepalived@director1.example.com");
    EXPECT_EQ(d.smtp_helo_name, "director1.example.com");
    EXPECT_EQ(d.smtp_connect_timeout, seconds(30));
    EXPECT_FALSE(d.smtp_server.has_value());
    EXPECT_EQ(d.vrrp_garp_master_delay, seconds(5));
    EXPECT_EQ(d.vrrp_garp_master_repeat, 5U);
    EXPECT_EQ(d.vrrp_garp_lower_prio_delay, Micros(seconds(5)));
    EXPECT_EQ(d.vrrp_garp_lower_prio_repeat, 5U);
    EXPECT_EQ(d.vrrp_garp_master_refresh, Micros(0));
    EXPECT_EQ(d.vrrp_garp_master_refresh_repeat, 1U);
    EXPECT_EQ(d.vrrp_version, 2U);
    EXPECT_EQ(d.vrrp_mcast_group4.to_string(), "224.0.0.18");
    EXPECT_EQ(d.vrrp_mcast_group6.to_string(), "ff02::12");
    EXPECT_EQ(d.default_interface, "eth0");
    EXPECT_EQ(d.startup_script_timeout, seconds(10));
    EXPECT_EQ(d.shutdown_script_timeout, seconds(10));
    EXPECT_EQ(d.child_wait_time, seconds(5));
    EXPECT_EQ(d.vrrp_rx_bufs_multiplier, 3U);
    EXPECT_EQ(d.vrrp_rx_bufs_policy, RxBufsPolicy::system_default);
    EXPECT_FALSE(d.nftables.has_value());
    EXPECT_EQ(d.nftables_priority, -1);
    EXPECT_EQ(d.nftables_ipvs_start_fwmark, 1000U);
    EXPECT_EQ(d.vmac_prefix, "vrrp");
    EXPECT_EQ(d.vmac_addr_prefix, "vrrp");
    EXPECT_EQ(d.umask, 0022U);
    EXPECT_FALSE(d.umask_set);
    EXPECT_EQ(d.max_auto_priority, 0);
    EXPECT_EQ(d.min_auto_priority_delay, seconds(1));
    EXPECT_EQ(d.vrrp.rlimit_rttime, Micros(10000));
    EXPECT_EQ(d.vrrp_down_timer_adverts, 3U);
    EXPECT_EQ(d.dbus_service_name, "org.keepalived.Vrrp1");
    EXPECT_EQ(d.vrrp_lower_prio_no_advert, false);
    EXPECT_EQ(d.vrrp_higher_prio_send_advert, false);
    EXPECT_EQ(d.lvs_flush_on_stop, LvsFlushOnStop::disabled);
    EXPECT_FALSE(d.lvs_sync_daemon.has_value());
    EXPECT_FALSE(d.smtp_alert.has_value());
}

TEST(GlobalDefs, StringAndFlagKeywords) {
    const auto r = defs(R"(
  tmp_config_directory /var/tmp
  config_save_dir /var/save
  process_names
  process_name ka
  vrrp_process_name ka_vrrp
  checker_process_name ka_check
  bfd_process_name ka_bfd
  notification_email {
    admin@example1.com
    ops@example2.com
  }
  notification_email_from admin@example.com
  smtp_helo_name helo.example.com
  no_email_faults
  no_checker_emails
  router_id LVS_1
  default_interface p33p1.3
  lvs_flush
  rs_init_notifies
  vrrp_check_unicast_src
  vrrp_skip_check_adv_addr
  vrrp_strict
  disable_local_igmp
  log_unknown_vrids
  vmac_prefix vm
  vmac_addr_prefix va
  snmp_socket udp:1.2.3.4:705
  enable_snmp_vrrp
  enable_snmp_checker
  enable_snmp_rfcv2
  enable_traps
  enable_dbus
  dbus_service_name org.example.V
  enable_script_security
  fifo_write_vrrp_states_on_reload
  reload_time_file /run/reload
  reload_repeat
  vrrp_no_swap
  checker_no_swap
  bfd_no_swap
  nftables_counters
  nftables_ifindex
)");
    const auto& d = ok_defs(r);
    EXPECT_EQ(d.tmp_config_directory, "/var/tmp");
    EXPECT_EQ(d.config_save_dir, "/var/save");
    EXPECT_TRUE(d.process_names);
    EXPECT_EQ(d.process_name, "ka");
    EXPECT_EQ(d.vrrp.process_name, "ka_vrrp");
    EXPECT_EQ(d.checker.process_name, "ka_check");
    EXPECT_EQ(d.bfd.process_name, "ka_bfd");
    EXPECT_EQ(d.notification_email,
              (std::vector<std::string>{"admin@example1.com", "ops@example2.com"}));
    EXPECT_EQ(d.notification_email_from, "admin@example.com");
    EXPECT_EQ(d.smtp_helo_name, "helo.example.com");
    EXPECT_TRUE(d.no_email_faults);
    EXPECT_TRUE(d.no_checker_emails);
    EXPECT_EQ(d.router_id, "LVS_1");
    EXPECT_EQ(d.default_interface, "p33p1.3");
    EXPECT_TRUE(d.lvs_flush);
    EXPECT_TRUE(d.rs_init_notifies);
    EXPECT_TRUE(d.vrrp_check_unicast_src);
    EXPECT_TRUE(d.vrrp_skip_check_adv_addr);
    EXPECT_TRUE(d.vrrp_strict);
    EXPECT_EQ(d.vrrp_lower_prio_no_advert, true);  // strict mode default
    EXPECT_TRUE(d.disable_local_igmp);
    EXPECT_TRUE(d.log_unknown_vrids);
    EXPECT_EQ(d.vmac_prefix, "vm");
    EXPECT_EQ(d.vmac_addr_prefix, "va");
    EXPECT_EQ(d.snmp_socket, "udp:1.2.3.4:705");
    EXPECT_TRUE(d.enable_snmp_vrrp);
    EXPECT_TRUE(d.enable_snmp_checker);
    EXPECT_TRUE(d.enable_snmp_rfcv2);
    EXPECT_FALSE(d.enable_snmp_rfcv3);
    EXPECT_TRUE(d.enable_traps);
    EXPECT_TRUE(d.enable_dbus);
    EXPECT_EQ(d.dbus_service_name, "org.example.V");
    EXPECT_TRUE(d.enable_script_security);
    EXPECT_TRUE(d.fifo_write_vrrp_states_on_reload);
    EXPECT_EQ(d.reload_time_file, "/run/reload");
    EXPECT_TRUE(d.reload_repeat);
    EXPECT_TRUE(d.vrrp.no_swap);
    EXPECT_TRUE(d.checker.no_swap);
    EXPECT_TRUE(d.bfd.no_swap);
    EXPECT_TRUE(d.nftables_counters);
    EXPECT_TRUE(d.nftables_ifindex);
}

// vrrp_min_garp as keepalived 2.2.7: one GARP/NA, no second burst, no refresh, unless a
// setting was already changed before it; later lines win.
TEST(GlobalDefs, MinGarp) {
    const auto r = defs("  vrrp_min_garp\n");
    const auto& d = ok_defs(r);
    EXPECT_EQ(d.vrrp_garp_master_repeat, 1U);
    EXPECT_EQ(d.vrrp_garp_master_delay, Micros(0));
    EXPECT_EQ(d.vrrp_garp_master_refresh, Micros(0));
    EXPECT_EQ(d.vrrp_garp_lower_prio_repeat, 1U);  // follows the master's
    const auto r2 = defs(
        "  vrrp_garp_master_repeat 3\n  vrrp_min_garp\n"
        "  vrrp_garp_master_delay 2\n");
    const auto& e = ok_defs(r2);
    EXPECT_EQ(e.vrrp_garp_master_repeat, 3U);
    EXPECT_EQ(e.vrrp_garp_master_delay, seconds(2));
    const auto r3 = defs("  vrrp_min_garp off\n");
    const auto& f = ok_defs(r3);
    EXPECT_EQ(f.vrrp_garp_master_repeat, 5U);
}

TEST(GlobalDefs, NumericAndTimeKeywords) {
    const auto r = defs(R"(
  startup_script_timeout 20
  shutdown_script_timeout 1000
  smtp_connect_timeout 45
  vrrp_garp_master_delay 10
  vrrp_garp_master_repeat 2
  vrrp_garp_lower_prio_delay 7
  vrrp_garp_lower_prio_repeat 0
  vrrp_garp_master_refresh 60
  vrrp_garp_master_refresh_repeat 3
  vrrp_garp_interval 0.001
  vrrp_gna_interval 0.000001
  vrrp_down_timer_adverts 100
  vrrp_version 3
  max_auto_priority 50
  min_auto_priority_delay 2500
  vrrp_priority -20
  checker_priority 19
  bfd_priority 0
  vrrp_cpu_affinity 0 1 3
  checker_cpu_affinity 2
  vrrp_rt_priority 1
  checker_rt_priority 99
  bfd_rt_priority 50
  vrrp_rlimit_rttime 2
  checker_rlimit_rttime 5000
  bfd_rlimit_rttime 20000
  nftables_priority -100
  nftables_ipvs_priority 7
  nftables_ipvs_start_fwmark 4294967295
  vrrp_rx_bufs_multiplier 9
  vrrp_startup_delay 5.5
  random_seed 4294967295
  child_wait_time 30
)");
    const auto& d = ok_defs(r);
    EXPECT_EQ(d.startup_script_timeout, seconds(20));
    EXPECT_EQ(d.shutdown_script_timeout, seconds(1000));
    EXPECT_EQ(d.smtp_connect_timeout, seconds(45));
    EXPECT_EQ(d.vrrp_garp_master_delay, seconds(10));
    EXPECT_EQ(d.vrrp_garp_master_repeat, 2U);
    EXPECT_EQ(d.vrrp_garp_lower_prio_delay, Micros(seconds(7)));
    EXPECT_EQ(d.vrrp_garp_lower_prio_repeat, 0U);
    EXPECT_EQ(d.vrrp_garp_master_refresh, seconds(60));
    EXPECT_EQ(d.vrrp_garp_master_refresh_repeat, 3U);
    EXPECT_EQ(d.vrrp_garp_interval, milliseconds(1));
    EXPECT_EQ(d.vrrp_gna_interval, Micros(1));
    EXPECT_EQ(d.vrrp_down_timer_adverts, 100U);
    EXPECT_EQ(d.vrrp_version, 3U);
    EXPECT_EQ(d.max_auto_priority, 50);
    EXPECT_EQ(d.min_auto_priority_delay, Micros(2500));
    EXPECT_EQ(d.vrrp.priority, -20);
    EXPECT_EQ(d.checker.priority, 19);
    EXPECT_EQ(d.bfd.priority, 0);
    EXPECT_EQ(d.vrrp.cpu_affinity, (std::vector<unsigned>{0, 1, 3}));
    EXPECT_EQ(d.checker.cpu_affinity, (std::vector<unsigned>{2}));
    EXPECT_EQ(d.vrrp.rt_priority, 1);
    EXPECT_EQ(d.checker.rt_priority, 99);
    EXPECT_EQ(d.bfd.rt_priority, 50);
    EXPECT_EQ(d.vrrp.rlimit_rttime, Micros(2));
    EXPECT_EQ(d.checker.rlimit_rttime, Micros(5000));
    EXPECT_EQ(d.bfd.rlimit_rttime, Micros(20000));
    EXPECT_EQ(d.nftables_priority, -100);
    EXPECT_EQ(d.nftables_ipvs_priority, 7);
    EXPECT_EQ(d.nftables_ipvs_start_fwmark, 4294967295U);
    EXPECT_EQ(d.vrrp_rx_bufs_multiplier, 9U);
    EXPECT_EQ(d.vrrp_startup_delay, milliseconds(5500));
    EXPECT_EQ(d.random_seed, 4294967295U);
    EXPECT_EQ(d.child_wait_time, seconds(30));
}

TEST(GlobalDefs, BooleanKeywords) {
    const auto r = defs(R"(
  smtp_alert
  smtp_alert_vrrp off
  smtp_alert_checker yes
  checker_log_all_failures true
  vrrp_min_garp on
  vrrp_lower_prio_no_advert false
  vrrp_higher_prio_send_advert
  vrrp_notify_priority_changes no
  data_use_instance
  vrrp_netlink_cmd_rcv_bufs_force
  vrrp_netlink_monitor_rcv_bufs_force off
  lvs_netlink_cmd_rcv_bufs_force true
  lvs_netlink_monitor_rcv_bufs_force yes
  process_monitor_rcv_bufs_force on
  vrrp_strict
)");
    const auto& d = ok_defs(r);
    EXPECT_EQ(d.smtp_alert, true);
    EXPECT_EQ(d.smtp_alert_vrrp, false);
    EXPECT_EQ(d.smtp_alert_checker, true);
    EXPECT_TRUE(d.checker_log_all_failures);
    EXPECT_TRUE(d.vrrp_min_garp);
    // Explicitly cleared: vrrp_strict does not override it here.
    EXPECT_EQ(d.vrrp_lower_prio_no_advert, false);
    EXPECT_EQ(d.vrrp_higher_prio_send_advert, true);
    EXPECT_FALSE(d.vrrp_notify_priority_changes);
    EXPECT_TRUE(d.data_use_instance);
    EXPECT_TRUE(d.vrrp_netlink_cmd.force);
    EXPECT_FALSE(d.vrrp_netlink_monitor.force);
    EXPECT_TRUE(d.lvs_netlink_cmd.force);
    EXPECT_TRUE(d.lvs_netlink_monitor.force);
    EXPECT_TRUE(d.process_monitor.force);
}

TEST(GlobalDefs, ScriptsAndFifos) {
    const auto r = defs(R"(
  startup_script /usr/bin/start.sh root wheel
  shutdown_script "/usr/bin/stop.sh now"
  script_user nobody nogroup
  notify_fifo /run/ka.fifo
  notify_fifo_script /usr/bin/fifo.sh ka
  vrrp_notify_fifo /run/vrrp.fifo root
  vrrp_notify_fifo_script "/bin/handler 'a b'"
  lvs_notify_fifo /run/lvs.fifo
  lvs_notify_fifo_script /bin/lvs.sh
)");
    const auto& d = ok_defs(r);
    ASSERT_TRUE(d.startup_script);
    EXPECT_EQ(d.startup_script->argv, (std::vector<std::string>{"/usr/bin/start.sh"}));
    EXPECT_EQ(d.startup_script->user, "root");
    EXPECT_EQ(d.startup_script->group, "wheel");
    ASSERT_TRUE(d.shutdown_script);
    EXPECT_EQ(d.shutdown_script->argv, (std::vector<std::string>{"/usr/bin/stop.sh", "now"}));
    ASSERT_TRUE(d.script_user);
    EXPECT_EQ(d.script_user->user, "nobody");
    EXPECT_EQ(d.script_user->group, "nogroup");
    ASSERT_TRUE(d.notify_fifo);
    EXPECT_EQ(d.notify_fifo->path, "/run/ka.fifo");
    ASSERT_TRUE(d.notify_fifo_script);
    EXPECT_EQ(d.notify_fifo_script->user, "ka");
    ASSERT_TRUE(d.vrrp_notify_fifo);
    EXPECT_EQ(d.vrrp_notify_fifo->user, "root");
    ASSERT_TRUE(d.vrrp_notify_fifo_script);
    EXPECT_EQ(d.vrrp_notify_fifo_script->argv, (std::vector<std::string>{"/bin/handler", "a b"}));
    ASSERT_TRUE(d.lvs_notify_fifo);
    EXPECT_EQ(d.lvs_notify_fifo->path, "/run/lvs.fifo");
    ASSERT_TRUE(d.lvs_notify_fifo_script);
    EXPECT_EQ(d.lvs_notify_fifo_script->argv[0], "/bin/lvs.sh");
}

TEST(GlobalDefs, SmtpServer) {
    auto d = ok_defs(defs("  smtp_server 127.0.0.1\n"));
    ASSERT_TRUE(d.smtp_server);
    EXPECT_EQ(d.smtp_server->address->to_string(), "127.0.0.1");
    EXPECT_EQ(d.smtp_server->port, 25);
    d = ok_defs(defs("  smtp_server ::1 2525\n"));
    ASSERT_TRUE(d.smtp_server);
    EXPECT_TRUE(d.smtp_server->address->is_v6());
    EXPECT_EQ(d.smtp_server->port, 2525);
    d = ok_defs(defs("  smtp_server mail.example.com 587\n"));
    ASSERT_TRUE(d.smtp_server);
    EXPECT_EQ(d.smtp_server->host, "mail.example.com");
    EXPECT_FALSE(d.smtp_server->address.has_value());
    EXPECT_EQ(d.smtp_server->port, 587);
}

TEST(GlobalDefs, LvsSyncDaemon) {
    auto d = ok_defs(load(
        "global_defs {\n"
        "  lvs_sync_daemon eth0 inst VI_1 id 5 maxlen 1400 port 9000 ttl 3 group 224.0.0.82\n}\n"
        "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n virtual_ipaddress {\n"
        " 192.0.2.1\n }\n}\n"));
    ASSERT_TRUE(d.lvs_sync_daemon);
    const auto& s = *d.lvs_sync_daemon;
    EXPECT_EQ(s.interface, "eth0");
    EXPECT_EQ(s.instance, "VI_1");
    EXPECT_EQ(s.instance_loc.line, 2U);
    EXPECT_EQ(s.instance_loc.col, 29U);
    EXPECT_EQ(s.syncid, 5);
    EXPECT_EQ(s.maxlen, 1400);
    EXPECT_EQ(s.port, 9000);
    EXPECT_EQ(s.ttl, 3);
    EXPECT_EQ(s.group.to_string(), "224.0.0.82");

    // Instance without "inst" (backward compatible); defaults.
    d = ok_defs(
        load("global_defs {\n  lvs_sync_daemon eth1 VI_2\n}\n"
             "vrrp_instance VI_2 {\n interface eth1\n virtual_router_id 9\n virtual_ipaddress {\n"
             " 192.0.2.1\n }\n}\n"));
    ASSERT_TRUE(d.lvs_sync_daemon);
    EXPECT_EQ(d.lvs_sync_daemon->instance, "VI_2");
    EXPECT_EQ(d.lvs_sync_daemon->syncid, 9);  // keepalived.conf(5): the instance's VRID
    EXPECT_EQ(d.lvs_sync_daemon->port, 8848);
    EXPECT_EQ(d.lvs_sync_daemon->group.to_string(), "224.0.0.81");

    d = ok_defs(defs("  lvs_sync_daemon eth1 group ff02::5\n"));
    ASSERT_TRUE(d.lvs_sync_daemon);
    EXPECT_TRUE(d.lvs_sync_daemon->instance.empty());
    EXPECT_EQ(d.lvs_sync_daemon->group.to_string(), "ff02::5");
}

TEST(GlobalDefs, LvsTimeoutsAndFlush) {
    auto d = ok_defs(defs("  lvs_timeouts tcp 5 tcpfin 6 udp 7\n  lvs_flush_on_stop VS\n"));
    ASSERT_TRUE(d.lvs_timeouts);
    EXPECT_EQ(d.lvs_timeouts->tcp, Micros(seconds(5)));
    EXPECT_EQ(d.lvs_timeouts->tcpfin, Micros(seconds(6)));
    EXPECT_EQ(d.lvs_timeouts->udp, Micros(seconds(7)));
    EXPECT_EQ(d.lvs_flush_on_stop, LvsFlushOnStop::vs);
    d = ok_defs(defs("  lvs_timeouts udp 0\n  lvs_flush_on_stop\n"));
    ASSERT_TRUE(d.lvs_timeouts);
    EXPECT_FALSE(d.lvs_timeouts->tcp.has_value());
    EXPECT_EQ(d.lvs_timeouts->udp, Micros(0));
    EXPECT_EQ(d.lvs_flush_on_stop, LvsFlushOnStop::full);
}

TEST(GlobalDefs, GarpExtraIfAndFirewall) {
    auto d = ok_defs(defs(R"(
  vrrp_garp_extra_if all 100
  nftables
  nftables_ipvs ka_ipvs
  vrrp_iptables keepalived_in keepalived_out
  vrrp_ipsets keepalived
)"));
    ASSERT_TRUE(d.vrrp_garp_extra_if);
    EXPECT_TRUE(d.vrrp_garp_extra_if->all);
    EXPECT_EQ(d.vrrp_garp_extra_if->interval, seconds(100));
    ASSERT_TRUE(d.nftables);
    EXPECT_EQ(d.nftables->table, "keepalived");
    ASSERT_TRUE(d.nftables_ipvs);
    EXPECT_EQ(d.nftables_ipvs->table, "ka_ipvs");
    ASSERT_TRUE(d.vrrp_iptables);
    EXPECT_EQ(d.vrrp_iptables->in_chain, "keepalived_in");
    EXPECT_EQ(d.vrrp_iptables->out_chain, "keepalived_out");
    ASSERT_TRUE(d.vrrp_ipsets);
    EXPECT_TRUE(d.vrrp_ipsets->enabled);
    EXPECT_EQ(d.vrrp_ipsets->address6, "keepalived6");
    EXPECT_EQ(d.vrrp_ipsets->address_iface6, "keepalived_if6");
    EXPECT_EQ(d.vrrp_ipsets->igmp, "keepalived_igmp");
    EXPECT_EQ(d.vrrp_ipsets->mld, "keepalived_mld");

    d = ok_defs(defs("  vrrp_garp_extra_if 300\n  vrrp_iptables\n  vrrp_ipsets\n  nftables t1\n"));
    EXPECT_FALSE(d.vrrp_garp_extra_if->all);
    EXPECT_EQ(d.vrrp_garp_extra_if->interval, seconds(300));
    EXPECT_EQ(d.vrrp_iptables->in_chain, "INPUT");
    EXPECT_EQ(d.vrrp_iptables->out_chain, "OUTPUT");
    EXPECT_FALSE(d.vrrp_ipsets->enabled);
    EXPECT_EQ(d.nftables->table, "t1");

    d = ok_defs(defs("  vrrp_ipsets a b c d e\n"));
    EXPECT_EQ(d.vrrp_ipsets->address, "a");
    EXPECT_EQ(d.vrrp_ipsets->address6, "b");
    EXPECT_EQ(d.vrrp_ipsets->address_iface6, "c");
    EXPECT_EQ(d.vrrp_ipsets->igmp, "d");
    EXPECT_EQ(d.vrrp_ipsets->mld, "e");
}

TEST(GlobalDefs, BuffersPolicyUmaskMisc) {
    auto d = ok_defs(defs(R"(
  vrrp_netlink_cmd_rcv_bufs 1048576
  vrrp_netlink_monitor_rcv_bufs 2
  lvs_netlink_cmd_rcv_bufs 3
  lvs_netlink_monitor_rcv_bufs 4
  process_monitor_rcv_bufs 500000
  vrrp_rx_bufs_policy ADVERT
  umask IRGRP | IWOTH|IXUSR
  dynamic_interfaces allow_if_changes
  reload_check_config /tmp/check.log
  reload_file
  include_check +match -wildcard_match
  max_auto_priority
)"));
    EXPECT_EQ(d.vrrp_netlink_cmd.size, 1048576U);
    EXPECT_EQ(d.vrrp_netlink_monitor.size, 2U);
    EXPECT_EQ(d.lvs_netlink_cmd.size, 3U);
    EXPECT_EQ(d.lvs_netlink_monitor.size, 4U);
    EXPECT_EQ(d.process_monitor.size, 500000U);
    EXPECT_EQ(d.vrrp_rx_bufs_policy, RxBufsPolicy::advert);
    EXPECT_EQ(d.umask, 0042U | 0002U | 0100U);
    EXPECT_TRUE(d.umask_set);
    EXPECT_TRUE(d.dynamic_interfaces);
    EXPECT_TRUE(d.dynamic_interfaces_allow_if_changes);
    EXPECT_TRUE(d.reload_check_config.enabled);
    EXPECT_EQ(d.reload_check_config.log_file, "/tmp/check.log");
    EXPECT_EQ(d.reload_file, std::string());
    EXPECT_TRUE(d.include_check.set);
    EXPECT_EQ(d.include_check.options, (std::vector<std::string>{"+match", "-wildcard_match"}));
    EXPECT_EQ(d.max_auto_priority, 99);

    d = ok_defs(defs("  umask 0x12\n  vrrp_rx_bufs_policy mtu\n  dynamic_interfaces\n"));
    EXPECT_EQ(d.umask, 0x12U);
    EXPECT_EQ(d.vrrp_rx_bufs_policy, RxBufsPolicy::mtu);
    EXPECT_FALSE(d.dynamic_interfaces_allow_if_changes);
    d = ok_defs(defs("  umask 077\n  vrrp_rx_bufs_policy 65536\n  reload_file /run/r\n"));
    EXPECT_EQ(d.umask, 077U);
    EXPECT_EQ(d.vrrp_rx_bufs_policy, RxBufsPolicy::size);
    EXPECT_EQ(d.vrrp_rx_bufs_size, 65536U);
    EXPECT_EQ(d.reload_file, "/run/r");
}

TEST(GlobalDefs, MulticastGroups) {
    const auto d = ok_defs(defs("  vrrp_mcast_group4 224.0.0.19\n  vrrp_mcast_group6 ff02::13\n"));
    EXPECT_EQ(d.vrrp_mcast_group4.to_string(), "224.0.0.19");
    EXPECT_EQ(d.vrrp_mcast_group6.to_string(), "ff02::13");
}

TEST(GlobalDefs, NamespaceKeywordsTopLevelAndInside) {
    auto r = load(R"(net_namespace blue
net_namespace_ipvs
namespace_with_ipsets
instance inst1
use_pid_dir
linkbeat_use_polling
child_wait_time 12
)");
    auto d = ok_defs(r);
    EXPECT_EQ(d.net_namespace, "blue");
    EXPECT_EQ(d.net_namespace_ipvs, std::string());
    EXPECT_TRUE(d.namespace_with_ipsets);
    EXPECT_EQ(d.instance, "inst1");
    EXPECT_TRUE(d.use_pid_dir);
    EXPECT_TRUE(d.linkbeat_use_polling);
    EXPECT_EQ(d.child_wait_time, seconds(12));

    d =
        ok_defs(defs("  net_namespace red\n  net_namespace_ipvs ipvsns\n  instance i2\n"
                     "  use_pid_dir\n  linkbeat_use_polling\n  child_wait_time 0\n"));
    EXPECT_EQ(d.net_namespace, "red");
    EXPECT_EQ(d.net_namespace_ipvs, "ipvsns");
    EXPECT_EQ(d.instance, "i2");
    EXPECT_TRUE(d.use_pid_dir);
    EXPECT_TRUE(d.linkbeat_use_polling);
    EXPECT_EQ(d.child_wait_time, Micros(0));

    r = load("child_wait_time x\n");
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r, "keepalived.conf:1:17: error"));
}

TEST(GlobalDefs, Aliases) {
    const auto r = defs(R"(
  lvs_process_name lvsp
  vrrp_rlimit_rtime 300
  checker_rlimit_rtime 400
  bfd_rlimit_rtime 500
  lvs_flush_onstop
  enable_snmp_keepalived
  enable_snmp_rfc
  vrrp_vmac_garp_intvl all 60
)");
    const auto& d = ok_defs(r);
    EXPECT_EQ(d.checker.process_name, "lvsp");
    EXPECT_EQ(d.vrrp.rlimit_rttime, Micros(300));
    EXPECT_EQ(d.checker.rlimit_rttime, Micros(400));
    EXPECT_EQ(d.bfd.rlimit_rttime, Micros(500));
    EXPECT_EQ(d.lvs_flush_on_stop, LvsFlushOnStop::full);
    EXPECT_TRUE(d.enable_snmp_vrrp);
    EXPECT_TRUE(d.enable_snmp_rfcv2);
    EXPECT_TRUE(d.enable_snmp_rfcv3);
    ASSERT_TRUE(d.vrrp_garp_extra_if);
    EXPECT_EQ(d.vrrp_garp_extra_if->interval, seconds(60));
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:10:24: warning: vrrp_vmac_garp_intvl: "
                         "'vrrp_vmac_garp_intvl' is deprecated"));
}

TEST(GlobalDefs, UnknownKeywordIsAWarningWithSuggestion) {
    const auto r = defs("  router_idd x\n  lvs_id y\n");
    EXPECT_TRUE(r.ok());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:2:3: warning: unknown keyword 'router_idd' in "
                         "global_defs; skipped (did you mean 'router_id'?)"));
    EXPECT_TRUE(has_diag(r, "keepalived.conf:3:3: warning: unknown keyword 'lvs_id'"));
}

TEST(GlobalDefs, FlagWithExtraWordWarns) {
    const auto r = defs("  vrrp_strict yes\n");
    EXPECT_TRUE(r.ok());
    EXPECT_TRUE(has_diag(r, "keepalived.conf:2:15: warning"));
}

// Each malformed line in global_defs is an error at the given column naming what was expected.
struct BadValue {
    const char* line;
    unsigned col;
    const char* message;
};

class GlobalDefsBadValue : public ::testing::TestWithParam<BadValue> {};

TEST_P(GlobalDefsBadValue, IsAnErrorAtTheValue) {
    const auto& p = GetParam();
    const auto r = defs(std::string("  ") + p.line + "\n");
    EXPECT_FALSE(r.ok()) << p.line;
    const std::string where = "keepalived.conf:2:" + std::to_string(p.col) + ": error: ";
    EXPECT_TRUE(has_diag(r, where)) << p.line << "\n" << testing::diags(r);
    EXPECT_TRUE(has_diag(r, p.message)) << p.line << "\n" << testing::diags(r);
}

INSTANTIATE_TEST_SUITE_P(
    Values, GlobalDefsBadValue,
    ::testing::Values(
        BadValue{"vrrp_version 4", 16, "4 is out of range; expected an integer in [2, 3]"},
        BadValue{"vrrp_version", 15, "missing argument"},
        BadValue{"smtp_connect_timeout 0", 24, "expected an integer in [1, 4294]"},
        BadValue{"smtp_connect_timeout 1.5", 24, "expected an integer in [1, 4294]"},
        BadValue{"startup_script_timeout 1001", 26, "expected an integer in [1, 1000]"},
        BadValue{"shutdown_script_timeout 0", 27, "expected an integer in [1, 1000]"},
        BadValue{"vrrp_garp_master_delay 1.5", 26, "expected an integer in [0, 4294]"},
        BadValue{"vrrp_garp_master_repeat 0", 27, "expected an integer in [1, "},
        BadValue{"vrrp_garp_lower_prio_repeat -1", 31, "expected an integer in [0, "},
        BadValue{"vrrp_garp_master_refresh_repeat 0", 35, "expected an integer in [1, "},
        BadValue{"vrrp_garp_interval 5000", 22,
                 "out of range; expected seconds in [0, 4294.967295]"},
        BadValue{"vrrp_gna_interval 1.0000001", 21, "microsecond resolution"},
        BadValue{"vrrp_garp_extra_if 86401", 22, "expected an integer in [1, 86400]"},
        BadValue{"vrrp_garp_extra_if some 5", 22, "expected 'all'"},
        BadValue{"vrrp_down_timer_adverts 0", 27, "expected an integer in [1, 100]"},
        BadValue{"max_auto_priority 100", 21, "expected an integer in [-1, 99]"},
        BadValue{"min_auto_priority_delay 10000001", 27, "expected an integer in [1, 10000000]"},
        BadValue{"vrrp_priority -21", 17, "expected an integer in [-20, 19]"},
        BadValue{"bfd_priority 20", 16, "expected an integer in [-20, 19]"},
        BadValue{"vrrp_rt_priority 0", 20, "expected an integer in [1, 99]"},
        BadValue{"checker_rlimit_rttime 0", 25, "expected an integer in [1, 4294967295]"},
        BadValue{"vrrp_cpu_affinity 0-3", 21, "expected an integer in [0, 1023]"},
        BadValue{"checker_cpu_affinity", 23, "missing argument"},
        BadValue{"vrrp_mcast_group4 1.2.3.4", 21, "is not a multicast address"},
        BadValue{"vrrp_mcast_group4 ff02::5", 21, "expected an IPv4 multicast address"},
        BadValue{"vrrp_mcast_group6 224.0.0.5", 21, "expected an IPv6 multicast address"},
        BadValue{"vrrp_mcast_group6 nonsense", 21, "expected an IPv4 or IPv6 address"},
        BadValue{"smtp_server 1.2.3.4 0", 23, "expected an integer in [1, 65535]"},
        BadValue{"smtp_server 1.2.3.4 70000", 23, "expected an integer in [1, 65535]"},
        BadValue{"smtp_server bad_host!", 15, "expected an IP address or a domain name"},
        BadValue{"smtp_server", 14, "missing argument"},
        BadValue{"lvs_sync_daemon eth0 id 256", 27, "expected an integer in [0, 255]"},
        BadValue{"lvs_sync_daemon eth0 maxlen 65508", 31, "expected an integer in [1, 65507]"},
        BadValue{"lvs_sync_daemon eth0 ttl 0", 28, "expected an integer in [1, 255]"},
        BadValue{"lvs_sync_daemon eth0 port 0", 29, "expected an integer in [1, 65535]"},
        BadValue{"lvs_sync_daemon eth0 group 1.2.3.4", 30, "is not a multicast address"},
        BadValue{"lvs_sync_daemon eth0 VI_1 5", 29, "expected 'id' before the sync id"},
        BadValue{"lvs_sync_daemon eth0 VI_1 bogus 5", 29, "unknown lvs_sync_daemon option"},
        BadValue{"lvs_sync_daemon eth0 VI_1 id", 31, "missing value after 'id'"},
        BadValue{"lvs_sync_daemon", 18, "missing argument"},
        BadValue{"lvs_timeouts", 15, "missing argument"},
        BadValue{"lvs_timeouts tcp", 19, "missing argument"},
        BadValue{"lvs_timeouts tcp 5 x", 22, "unknown lvs_timeouts option 'x'"},
        BadValue{"lvs_timeouts tcp 2678401", 20, "expected an integer in [0, 2678400]"},
        BadValue{"lvs_flush_on_stop foo", 21, "expected one of VS"},
        BadValue{"vrrp_rx_bufs_policy", 22, "missing argument"},
        BadValue{"vrrp_rx_bufs_policy SOME", 23, "expected MTU, ADVERT or a size"},
        BadValue{"vrrp_rx_bufs_multiplier 0", 27, "expected an integer in [1, 4294967295]"},
        BadValue{"vrrp_netlink_cmd_rcv_bufs x", 29, "expected an integer in [0, 4294967295]"},
        BadValue{"vrrp_netlink_cmd_rcv_bufs_force maybe", 35, "expected on|off|true|false|yes|no"},
        BadValue{"smtp_alert maybe", 14, "expected on|off|true|false|yes|no"},
        BadValue{"umask 01000", 9, "up to 511"},
        BadValue{"umask IWXX", 9, "unknown umask bit 'IWXX'"},
        BadValue{"umask IWGRP | IRWOTH", 9, "unknown umask bit 'IRWOTH'"},
        BadValue{"random_seed -1", 15, "expected an integer in [0, 4294967295]"},
        BadValue{"random_seed 4294967296", 15, "expected an integer in [0, 4294967295]"},
        BadValue{"vrrp_startup_delay 0", 22, "expected seconds in [0.001, 4294.967295]"},
        BadValue{"vrrp_startup_delay 10000", 22, "expected seconds in [0.001, 4294.967295]"},
        BadValue{"nftables_priority 2147483648", 21,
                 "expected an integer in [-2147483648, 2147483647]"},
        BadValue{"nftables_ipvs_start_fwmark 0", 30, "expected an integer in [1, 4294967295]"},
        BadValue{"dynamic_interfaces foo", 22, "expected one of allow_if_changes"},
        BadValue{"startup_script", 17, "missing argument"},
        BadValue{"notify_fifo", 14, "missing argument"},
        BadValue{"router_id", 12, "missing argument"},
        BadValue{"dbus_service_name", 20, "missing argument"},
        BadValue{"vrrp_garp_lower_prio_delay 4295", 30, "expected an integer in [0, 4294]"},
        BadValue{"notification_email a@b", 25, "'notification_email' expects a block"},
        BadValue{"child_wait_time -1", 19, "expected an integer in [0, 4294967]"}));

TEST(GlobalDefs, LvsSyncDaemonOnlyOnce) {
    const auto r = defs("  lvs_sync_daemon eth0\n  lvs_sync_daemon eth1\n");
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:3:19: error: lvs_sync_daemon: lvs_sync_daemon is "
                         "already specified"));
}

TEST(GlobalDefs, SeveralGlobalDefsBlocksMerge) {
    const auto r = load("global_defs {\n router_id a\n}\nglobal_defs {\n vrrp_version 3\n}\n");
    const auto& d = ok_defs(r);
    EXPECT_EQ(d.router_id, "a");
    EXPECT_EQ(d.vrrp_version, 3U);
    EXPECT_EQ(d.loc.line, 1U);
}

}  // namespace
}  // namespace vigil::config
