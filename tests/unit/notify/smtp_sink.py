#!/usr/bin/python3
"""A real SMTP server for tests (Debian's python3-aiosmtpd): saves each message it
receives as OUTDIR/<n>.eml with the envelope in the first lines, then keeps serving.
usage: smtp_sink.py PORT OUTDIR"""
import os
import sys
import time

from aiosmtpd.controller import Controller


class Saver:
    def __init__(self, outdir):
        self.outdir = outdir
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("reject"):
            return "550 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        path = os.path.join(self.outdir, "%d.eml" % self.count)
        with open(path + ".tmp", "wb") as f:
            f.write(("HELO: %s\nFROM: %s\nTO: %s\n\n" % (
                session.host_name, envelope.mail_from, ",".join(envelope.rcpt_tos))).encode())
            f.write(envelope.original_content)
        os.rename(path + ".tmp", path)
        return "250 Message accepted"


def main():
    port, outdir = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Saver(outdir), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
