#!/bin/sh
# Both SQL databases, created and brought to the image's newest schema.
set -eu
tool() { temporal-sql-tool --plugin postgres12 --ep postgresql -p 5432 -u temporal "$@"; }
for db in temporal:temporal temporal_visibility:visibility; do
  name="${db%%:*}" dir="${db##*:}"
  tool --db "$name" create
  tool --db "$name" setup-schema -v 0.0
  tool --db "$name" update-schema -d "/etc/temporal/schema/postgresql/v12/$dir/versioned"
done
