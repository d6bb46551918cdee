"""contraflow's I/O side: settings, the faust app and topics, the state store, embedded servers, the CLI."""
