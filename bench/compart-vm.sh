#!/bin/sh
# bench-compart inside a QEMU guest, with compartd (tier 1) and without
# (tier 2 on the same kernel): make bench-compart-vm.
compartd --log /tmp/compartd.log || { cat /tmp/compartd.log; exit 1; }
bench-compart || exit 1
kill "$(pidof compartd)"
sleep 1
bench-compart
