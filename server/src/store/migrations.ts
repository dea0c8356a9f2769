/**
 * Versioned schema migrations, applied in order at start. Append only: a released migration is never
 * edited, a change is a new one.
 */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'profiles, users, teams, login sessions, audit',
    sql: `
      CREATE TABLE profiles (
        id INTEGER PRIMARY KEY,
        key TEXT UNIQUE,
        name TEXT NOT NULL,
        name_folded TEXT NOT NULL UNIQUE,
        scope TEXT NOT NULL CHECK (scope IN ('own', 'managed', 'all')),
        rights TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        profile_id INTEGER NOT NULL REFERENCES profiles(id),
        created_at INTEGER NOT NULL
      );
      CREATE INDEX users_profile ON users(profile_id);
      CREATE TABLE teams (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        name_folded TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE team_members (
        team_id INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        PRIMARY KEY (team_id, user_id)
      );
      CREATE INDEX team_members_user ON team_members(user_id);
      CREATE TABLE team_supervisors (
        team_id INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        PRIMARY KEY (team_id, user_id)
      );
      CREATE INDEX team_supervisors_user ON team_supervisors(user_id);
      CREATE TABLE login_sessions (
        id INTEGER PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        revoked_at INTEGER
      );
      CREATE INDEX login_sessions_user ON login_sessions(user_id);
      -- No foreign keys: the audit log outlives the users and profiles it names.
      CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        actor_id INTEGER,
        actor_name TEXT,
        action TEXT NOT NULL,
        target_type TEXT,
        target_id TEXT,
        outcome TEXT NOT NULL,
        code TEXT,
        detail TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX audit_actor ON audit(actor_id, id);
      CREATE INDEX audit_target ON audit(target_type, target_id, id);
      CREATE INDEX audit_action ON audit(action, id);
      CREATE INDEX audit_at ON audit(at);
    `,
  },
  {
    version: 2,
    name: 'recordings',
    sql: `
      -- No foreign key to users: a recording, like the audit log, outlives the agent it names.
      CREATE TABLE recordings (
        id INTEGER PRIMARY KEY,
        call_id TEXT NOT NULL,
        agent_id INTEGER NOT NULL,
        agent_name TEXT NOT NULL,
        queue TEXT NOT NULL,
        direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
        remote_number_masked TEXT NOT NULL,
        -- The WAV file's name inside the recordings directory.
        file TEXT NOT NULL UNIQUE,
        started_at INTEGER NOT NULL,
        ended_at INTEGER,
        duration_ms INTEGER NOT NULL DEFAULT 0,
        bytes INTEGER NOT NULL DEFAULT 0,
        paused_spans TEXT NOT NULL DEFAULT '[]'
      );
      CREATE INDEX recordings_agent ON recordings(agent_id, id);
      CREATE INDEX recordings_call ON recordings(call_id);
    `,
  },
  {
    version: 3,
    name: 'user extension',
    sql: `
      -- The telephony platform's name for the user's phone (an extension, or an endpoint's name): how a
      -- platform's call events find the Earshot user they are about. One phone, one user.
      ALTER TABLE users ADD COLUMN extension TEXT;
      CREATE UNIQUE INDEX users_extension ON users(extension) WHERE extension IS NOT NULL;
    `,
  },
  {
    version: 4,
    name: 'open supervision sessions, ends to deliver',
    sql: `
      -- The sessions live on the floor of this process: kept here so that the next start can end, audit and
      -- announce the ones a crash left open. No foreign keys: like the audit log, they outlive the users.
      CREATE TABLE open_supervisions (
        session_id TEXT PRIMARY KEY,
        call_id TEXT NOT NULL,
        agent_id INTEGER NOT NULL,
        supervisor_id INTEGER NOT NULL,
        supervisor_name TEXT NOT NULL,
        mode TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        mode_since INTEGER NOT NULL
      );
      -- Ends decided while their user was away (at a start), pushed at the user's next connection.
      CREATE TABLE undelivered_ends (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        event TEXT NOT NULL CHECK (event IN ('notice:supervision', 'supervise:ended')),
        payload TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX undelivered_ends_user ON undelivered_ends(user_id, event, id);
    `,
  },
  {
    version: 5,
    name: 'settings, alert preferences',
    sql: `
      -- The general settings an administrator changes (Change System Settings): one JSON value per key.
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
      -- A user's own alert thresholds (JSON; null keeps the default) and how new alerts are signalled to them.
      CREATE TABLE alert_preferences (
        user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        thresholds TEXT NOT NULL,
        desktop INTEGER NOT NULL CHECK (desktop IN (0, 1)),
        sound INTEGER NOT NULL CHECK (sound IN (0, 1)),
        updated_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: 'the node of an open supervision',
    sql: `
      -- The node whose floor holds an open session: with several nodes sharing a store, a node starting ends
      -- only its own, and a surviving node those of a node that died. NULL: a node alone (every open row is its own).
      ALTER TABLE open_supervisions ADD COLUMN node_id TEXT;
      CREATE INDEX open_supervisions_node ON open_supervisions(node_id);
    `,
  },
];
