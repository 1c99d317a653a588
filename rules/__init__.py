"""Rule packs shipped with auditor (one YAML file per pack)."""
