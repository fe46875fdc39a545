package dev.leadqual.udfs.qualify;

import dev.leadqual.schema.KnowledgeArticle;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Knowledge-base retrieval for ANSWER_FROM_KNOWLEDGE: Okapi BM25 over each article's title (counted
 * twice) and body, per language (an article in the visitor's language first, else English).
 * Immutable; build a new one when articles change.
 */
public final class KnowledgeBase {

    /** A retrieved article and its BM25 score. */
    public record Hit(KnowledgeArticle article, double score) {}

    static final double K1 = 1.2;
    static final double B = 0.75;
    /** Below this a hit is not an answer: the question is not about the article. */
    public static final double MIN_SCORE = 1.0;

    private static final Set<String> STOPWORDS = new java.util.HashSet<>(List.of(
            "a", "an", "the", "is", "are", "to", "of", "in", "on", "for", "and", "or", "i", "my", "me", "you", "your", "we",
            "our", "it", "how", "do", "does", "can", "what", "with", "be", "this", "that", "there", "any", "is",
            "el", "la", "los", "las", "de", "del", "en", "y", "o", "que", "un", "una", "por", "para", "como", "mi", "es",
            "der", "die", "das", "und", "oder", "ein", "eine", "ist", "wie", "ich", "mein", "zu", "mit", "für", "fur",
            "le", "les", "des", "du", "et", "ou", "un", "une", "est", "comment", "je", "mon", "pour", "avec",
            "o", "os", "as", "do", "da", "e", "um", "uma", "é", "como", "eu", "meu", "com"));

    private final List<Doc> docs = new ArrayList<>();
    /** Document frequencies over every language: names and product terms are shared across languages. */
    private final Map<String, Integer> df = new HashMap<>();
    private final java.util.Set<String> languages = new java.util.HashSet<>();
    private final double avgLength;

    private record Doc(KnowledgeArticle article, String language, Map<String, Integer> tf, int length) {}

    public KnowledgeBase(Collection<KnowledgeArticle> articles) {
        long totalLength = 0;
        for (KnowledgeArticle a : articles) {
            String lang = a.getLanguage() == null ? "en" : a.getLanguage().toLowerCase(Locale.ROOT);
            Map<String, Integer> tf = new HashMap<>();
            List<String> terms = new ArrayList<>(terms(a.getTitle()));
            terms.addAll(terms(a.getTitle()));
            terms.addAll(terms(a.getBody()));
            terms.forEach(t -> tf.merge(t, 1, Integer::sum));
            docs.add(new Doc(a, lang, tf, terms.size()));
            tf.keySet().forEach(t -> df.merge(t, 1, Integer::sum));
            totalLength += terms.size();
            languages.add(lang);
        }
        avgLength = docs.isEmpty() ? 1 : (double) totalLength / docs.size();
    }

    public boolean isEmpty() {
        return docs.isEmpty();
    }

    /** The best article for {@code question} for this tenant, in the visitor's language if there is one, else English. */
    public Optional<Hit> best(String question, String language, String tenantId) {
        String lang = language == null ? "en" : language;
        Optional<Hit> hit = search(question, lang, tenantId);
        return hit.isPresent() || lang.equals("en") ? hit : search(question, "en", tenantId);
    }

    private Optional<Hit> search(String question, String lang, String tenantId) {
        if (!languages.contains(lang)) {
            return Optional.empty();
        }
        List<String> query = terms(question);
        int n = docs.size();
        double avg = avgLength;
        Hit best = null;
        for (Doc d : docs) {
            if (!d.language.equals(lang) || !tenantMatches(d.article, tenantId)) {
                continue;
            }
            double score = 0;
            for (String t : query) {
                Integer f = d.tf.get(t);
                if (f == null) {
                    continue;
                }
                int dft = df.getOrDefault(t, 0);
                double idf = Math.log(1 + (n - dft + 0.5) / (dft + 0.5));
                score += idf * f * (K1 + 1) / (f + K1 * (1 - B + B * d.length / avg));
            }
            if (score >= MIN_SCORE && (best == null || score > best.score())) {
                best = new Hit(d.article, score);
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean tenantMatches(KnowledgeArticle a, String tenantId) {
        return "default".equals(a.getTenantId()) || a.getTenantId().equals(tenantId);
    }

    /** Lower-cased, accent-folded word terms without stopwords, stemmed by truncation. */
    static List<String> terms(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        String folded = Normalizer.normalize(text.toLowerCase(Locale.ROOT), Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
        for (String w : folded.split("[^\\p{L}\\p{N}]+")) {
            if (w.length() < 2 || STOPWORDS.contains(w)) {
                continue;
            }
            // A crude multilingual stem: the first six letters ("integrate", "integration", "integração").
            out.add(w.length() > 6 ? w.substring(0, 6) : w);
        }
        return out;
    }
}
