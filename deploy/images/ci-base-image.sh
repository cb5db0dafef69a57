#!/usr/bin/env bash
# Assembles the base image the CI image build uses, from Debian packages only (no container
# registry can be reached there): debootstrap's minbase of bookworm plus openjdk-17-jre-headless,
# and a user 185 like the production base (registry.access.redhat.com/ubi9/openjdk-17-runtime).
# Writes it in `docker save` format (manifest.json, config, one gzipped layer), which Jib reads as
# tar://<file>. Needs root and debootstrap. Usage: ci-base-image.sh OUTPUT.tar
set -euo pipefail
out=${1:?usage: ci-base-image.sh OUTPUT.tar}
mirror=${CONVEYOR_DEBIAN_MIRROR:-http://deb.debian.org/debian}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/rootfs

debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$root" "$mirror" > "$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
echo 'jboss:x:185:0:Conveyor:/home/jboss:/usr/sbin/nologin' >> "$root/etc/passwd"
mkdir -p "$root/home/jboss" && chown 185:0 "$root/home/jboss"
# what an image does not need: package caches and lists, documentation
rm -rf "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* "$root"/usr/share/man/* \
  "$root"/usr/share/info/* "$root"/usr/share/locale/* "$root"/var/log/*

mkdir -p "$work/image"
tar -C "$root" --numeric-owner --sort=name --mtime=@0 -cf "$work/image/layer.tar" .
diff_id=sha256:$(sha256sum "$work/image/layer.tar" | cut -d' ' -f1)
gzip -1 -n "$work/image/layer.tar"    # Jib keeps layers that are gzipped already as they are
java_home=/usr/lib/jvm/java-17-openjdk-amd64
cat > "$work/image/config.json" <<JSON
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=$java_home","LANG=C.UTF-8"],"User":"185","WorkingDir":"/home/jboss"},
 "rootfs":{"type":"layers","diff_ids":["$diff_id"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"deploy/images/ci-base-image.sh: debootstrap --variant=minbase bookworm + openjdk-17-jre-headless"}]}
JSON
echo '[{"Config":"config.json","RepoTags":["conveyor/ci-base:bookworm-jre17"],"Layers":["layer.tar.gz"]}]' > "$work/image/manifest.json"
mkdir -p "$(dirname "$out")"
tar -C "$work/image" -cf "$out.tmp" manifest.json config.json layer.tar.gz
mv "$out.tmp" "$out"
echo "$out: base layer $diff_id, $(du -h "$out" | cut -f1)"
