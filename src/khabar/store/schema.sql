-- khabar corpus store schema, applied by khabar.store.db.migrate().
--
-- Each "-- migration: N" section upgrades a database from user_version N-1 to N.
-- Sections are applied in order inside one transaction each; never edit a released
-- section, add a new one instead. Annotation offsets (start, end) are code points
-- into documents.text, the article exactly as received.

-- migration: 1
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    content_hash TEXT NOT NULL UNIQUE,      -- sha256 of the original text
    ext_id TEXT,                            -- the id the article came with (meta["id"])
    title TEXT,
    date TEXT,                              -- ISO date or datetime as given
    source TEXT,
    url TEXT,
    text TEXT NOT NULL,                     -- original text, never changed
    repaired TEXT NOT NULL,                 -- repaired view (glued words split...)
    topic TEXT,
    doc_json TEXT NOT NULL,                 -- the full Doc JSON (schema 1)
    added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX documents_ext_id ON documents (ext_id);
CREATE INDEX documents_date ON documents (date);
CREATE INDEX documents_source ON documents (source);
CREATE INDEX documents_topic ON documents (topic);

CREATE TABLE sentences (
    doc_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    "start" INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    PRIMARY KEY (doc_id, idx)
) WITHOUT ROWID;

CREATE TABLE referents (
    doc_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    local_id INTEGER NOT NULL,              -- the referent id inside its Doc
    label TEXT NOT NULL,
    name TEXT NOT NULL,
    norm_name TEXT NOT NULL,                -- folded name, for matching
    PRIMARY KEY (doc_id, local_id)
) WITHOUT ROWID;
CREATE INDEX referents_norm_name ON referents (norm_name);

CREATE TABLE entities (
    doc_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    "start" INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    label TEXT NOT NULL,
    text TEXT NOT NULL,
    norm_text TEXT NOT NULL,                -- folded surface, for matching
    referent INTEGER,                       -- referents.local_id of the same doc
    PRIMARY KEY (doc_id, idx)
) WITHOUT ROWID;
CREATE INDEX entities_label ON entities (label);

CREATE TABLE quotes (
    doc_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    "start" INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    kind TEXT NOT NULL,                     -- direct | indirect | ...
    text TEXT NOT NULL,
    cue TEXT,                               -- the speech verb as written
    speaker TEXT,                           -- the speaker as written
    speaker_norm TEXT,                      -- folded speaker, for matching
    speaker_referent INTEGER,               -- referents.local_id, or NULL
    PRIMARY KEY (doc_id, idx)
) WITHOUT ROWID;

CREATE TABLE keywords (
    doc_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    rank INTEGER NOT NULL,
    key TEXT NOT NULL,                      -- folded, de-cliticised words
    score REAL NOT NULL,
    "start" INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    PRIMARY KEY (doc_id, rank)
) WITHOUT ROWID;
CREATE INDEX keywords_key ON keywords (key);

-- Full-text index over the matching view: the repaired text, folded and with
-- clitics stripped (rowid = documents.id). See khabar.store.db.index_terms.
CREATE VIRTUAL TABLE documents_fts USING fts5 (
    title,
    body,
    tokenize = "unicode61 remove_diacritics 0"
);
