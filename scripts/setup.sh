#!/usr/bin/env bash
# Installs every build and test dependency of vigil from Debian 12's packages.
# Idempotent: when everything is already installed it does nothing.
set -euo pipefail

packages=(
  # build
  g++ cmake ninja-build ccache pkg-config git
  libboost1.81-dev libnl-3-dev libnl-route-3-dev libnl-genl-3-dev libssl-dev
  libspdlog-dev libfmt-dev libcli11-dev nlohmann-json3-dev libsystemd-dev
  libgtest-dev libgmock-dev
  # fuzzing and static checks
  clang libclang-rt-14-dev clang-format clang-tidy
  # tests: the reference implementation and its sample configurations, namespaces, pytest
  keepalived iproute2 procps python3-pytest python3-scapy python3-aiosmtpd nftables iputils-ping
  qemu-system-x86 busybox-static cpio kmod ipvsadm
  nginx-light dnsmasq-base socat openssl libpcre2-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "setup.sh: missing packages (${missing[*]}); run as root" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# keepalived is only a reference and interop peer: never let it run as a service here.
if [[ " ${missing[*]} " == *" keepalived "* ]] && [ -d /run/systemd/system ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get install -y -q --no-install-recommends "${missing[@]}"
