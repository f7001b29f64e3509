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

-- migration: 2
-- doc_json is now written zlib-compressed (a BLOB; the Doc JSON is ~40x the article
-- because of its token and word layers); rows written before stay TEXT and are read
-- as they are. The edits move to their own column so search can rebuild the
-- repaired view's offset map without inflating the whole Doc. term_spans holds the
-- original offsets of the indexed terms, in the order of documents_fts.body, so a
-- snippet needs no re-analysis (NULL for rows written before: search recomputes them).
ALTER TABLE documents ADD COLUMN edits TEXT;
ALTER TABLE documents ADD COLUMN term_spans BLOB;
UPDATE documents SET edits = json_extract(doc_json, '$.edits') WHERE typeof(doc_json) = 'text';

-- migration: 3
-- The names of each document for the entity: and speaker: filters, indexed by
-- trigrams so that a part of a name is found without reading every entity row of
-- every candidate (a filter on a frequent word used to cost a second or more over
-- 30,000 articles). Names are folded (khabar_fold) and '|'-separated; entity surfaces
-- lose their spaces so that "الولايات المتحدة" finds a glued الولاياتالمتحدة.
-- Trigrams need SQLite 3.34 or newer; values under 3 letters fall back to a scan.
CREATE VIRTUAL TABLE document_names USING fts5 (
    entities,                               -- entity surfaces, spaces removed
    referents,                              -- referent names
    speakers,                               -- quote speakers as written, and their referents' names
    tokenize = "trigram"
);
INSERT INTO document_names (rowid, entities, referents, speakers)
SELECT
    d.id,
    (SELECT group_concat(replace(e.norm_text, ' ', ''), '|') FROM entities e WHERE e.doc_id = d.id),
    (SELECT group_concat(r.norm_name, '|') FROM referents r WHERE r.doc_id = d.id),
    (SELECT group_concat(coalesce(q.speaker_norm, '') || '|' || coalesce(r.norm_name, ''), '|')
       FROM quotes q LEFT JOIN referents r ON r.doc_id = q.doc_id AND r.local_id = q.speaker_referent
      WHERE q.doc_id = d.id)
FROM documents d;
-- topic: is matched without regard to case; this index lets it skip the article text
CREATE INDEX documents_topic_nocase ON documents (topic COLLATE NOCASE);

-- migration: 4
-- Corpus referents (issue 12): the referents of different documents that name the same
-- entity, joined by khabar.store.corpus_referents (spelling variants, بن/آل links, a unique
-- short form). Kept up to date at ingest in the write transaction that adds the documents;
-- filled for the documents already stored by the Python step of migration 5
-- (khabar.store.db._PYTHON_STEPS), rebuilt by `khabar reindex`. An id is never reused: when
-- two corpus referents merge, the older (smaller) id stays and the other goes to
-- corpus_redirects, so an old link still finds its referent.
CREATE TABLE corpus_referents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,   -- stable id (AUTOINCREMENT: never reused)
    label TEXT NOT NULL,
    name TEXT NOT NULL,                     -- canonical name: the most frequent of its names
    documents INTEGER NOT NULL,             -- distinct documents naming it
    mentions INTEGER NOT NULL               -- entity mentions linked to its referents
);
CREATE INDEX corpus_referents_rank ON corpus_referents (documents DESC, mentions DESC);
-- One row per folded name (referents.norm_name): its aliases, with counts.
CREATE TABLE corpus_names (
    norm_name TEXT PRIMARY KEY,             -- referents.norm_name
    corpus_id INTEGER NOT NULL,             -- corpus_referents.id
    label TEXT NOT NULL,                    -- the most frequent label of its referents
    name TEXT NOT NULL,                     -- the most frequent spelling
    chain TEXT NOT NULL,                    -- corpus_referents.name_chain, space-separated
    first TEXT NOT NULL,                    -- the chain's first word (people are grouped by it)
    referents INTEGER NOT NULL              -- how many document referents have this name
) WITHOUT ROWID;
CREATE INDEX corpus_names_corpus_id ON corpus_names (corpus_id);
CREATE INDEX corpus_names_first ON corpus_names (label, first);
CREATE INDEX corpus_names_chain ON corpus_names (chain);
CREATE TABLE corpus_redirects (
    old_id INTEGER PRIMARY KEY,             -- an id merged away
    corpus_id INTEGER NOT NULL              -- the corpus_referents.id it names now
);
-- The document referents (doc_id, local_id) of each corpus referent.
CREATE VIEW corpus_referent_members AS
SELECT n.corpus_id, r.doc_id, r.local_id FROM corpus_names n JOIN referents r ON r.norm_name = n.norm_name;

-- migration: 5
-- People's family names (khabar.store.corpus_referents.family_name: نتنياهو of بنيامين
-- نتنياهو), so that a lone name finds the one person whose family name it is. The corpus
-- referents are then regrouped (or filled, for a store written before migration 4) by the
-- Python step of this migration.
ALTER TABLE corpus_names ADD COLUMN family TEXT NOT NULL DEFAULT '';
CREATE INDEX corpus_names_family ON corpus_names (label, family);

-- migration: 6
-- People's chains hold the variant key of a transliterated word (khabar.lang.ar.transliteration:
-- ميشال / ميشيل بلاتيني meet as ~مشل), so the chains, first words and family names of the stored
-- people change; the Python step of this migration regroups the corpus referents (ids stay).
