#!/bin/sh
# Daily backup with retention: daily archives kept 14 days, the Sunday one also kept as a weekly
# for 8 weeks, the one of the 1st also kept as a monthly for 12 months. Copy BACKUP_DIR off the
# site (another machine or object storage) after this script: a backup on the same disk as the
# database is no backup.
set -eu
BACKUP_DIR=${BACKUP_DIR:-/var/backups/secu4all}
SECU4ALL=${SECU4ALL:-/opt/secu4all/venv/bin/secu4all}
DAY=$(date +%F)
umask 077
mkdir -p "$BACKUP_DIR/daily" "$BACKUP_DIR/weekly" "$BACKUP_DIR/monthly"

ARCHIVE="$BACKUP_DIR/daily/secu4all-$DAY.tar.gz"
# secu4all backup writes a .partial file and renames it when complete.
"$SECU4ALL" backup "$ARCHIVE"

# Hard links: the weekly and monthly copies take no extra space.
if [ "$(date +%u)" = 7 ]; then ln -f "$ARCHIVE" "$BACKUP_DIR/weekly/"; fi
if [ "$(date +%d)" = 01 ]; then ln -f "$ARCHIVE" "$BACKUP_DIR/monthly/"; fi

find "$BACKUP_DIR/daily" -name 'secu4all-*.tar.gz' -mtime +14 -delete
find "$BACKUP_DIR/weekly" -name 'secu4all-*.tar.gz' -mtime +56 -delete
find "$BACKUP_DIR/monthly" -name 'secu4all-*.tar.gz' -mtime +366 -delete
