package org.sherloc.analysis;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.util.BytesRef;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.IndexVersion;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks the analysis chains through the plugin's own providers (no running Elasticsearch). */
class SherlocAnalysisPluginTests {

    private final SherlocAnalysisPlugin plugin = new SherlocAnalysisPlugin();

    private Analyzer analyzer(String name) throws IOException {
        return plugin.getAnalyzers().get(name).get(null, null, name, Settings.EMPTY).get();
    }

    private List<String> tokens(String analyzerName, String text) throws IOException {
        List<String> out = new ArrayList<>();
        try (TokenStream ts = analyzer(analyzerName).tokenStream("f", text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                out.add(term.toString());
            }
            ts.end();
        }
        return out;
    }

    @Test
    void registersAllAnalyzersAndFilters() {
        assertEquals(
            Set.of("sherloc_en", "sherloc_fr", "sherloc_es", "sherloc_ru", "sherloc_ar", "sherloc_zh", "sherloc_default"),
            plugin.getAnalyzers().keySet()
        );
        assertEquals(Set.of("sherloc_lowercase", "sherloc_asciifolding"), plugin.getTokenFilters().keySet());
    }

    @Test
    void englishStems() throws IOException {
        assertEquals(tokens("sherloc_en", "trafficking"), tokens("sherloc_en", "trafficked"));
        assertEquals(List.of("traffick", "victim"), tokens("sherloc_en", "The trafficking of the victim's"));
    }

    @Test
    void frenchStemsPlurals() throws IOException {
        assertEquals(tokens("sherloc_fr", "blanchiment"), tokens("sherloc_fr", "blanchiments"));
        assertEquals(1, tokens("sherloc_fr", "l'argent").size()); // elision
    }

    @Test
    void spanishStems() throws IOException {
        assertEquals(tokens("sherloc_es", "blanqueo"), tokens("sherloc_es", "blanqueos"));
    }

    @Test
    void russianStems() throws IOException {
        assertEquals(tokens("sherloc_ru", "торговля людьми"), tokens("sherloc_ru", "торговли людьми"));
    }

    @Test
    void arabicNormalizesDiacriticsAndAlef() throws IOException {
        List<String> plain = tokens("sherloc_ar", "الاتجار بالأشخاص");
        assertEquals(2, plain.size());
        assertEquals(plain, tokens("sherloc_ar", "الاتِّجَار بالأَشْخَاص"));
        assertEquals(tokens("sherloc_ar", "اتجار"), tokens("sherloc_ar", "إتجار"));
        assertEquals(tokens("sherloc_ar", "اتجار"), tokens("sherloc_ar", "أتجار"));
    }

    @Test
    void chineseSegmentsWords() throws IOException {
        List<String> words = tokens("sherloc_zh", "人口贩运");
        assertTrue(words.size() < 4, "expected words, not single characters: " + words);
        assertTrue(words.stream().anyMatch(w -> w.length() > 1), "expected a multi-character word: " + words);
    }

    @Test
    void defaultFolds() throws IOException {
        assertEquals(List.of("nandu"), tokens("sherloc_default", "Ñandú"));
        assertEquals(new BytesRef("nandu"), analyzer("sherloc_default").normalize("f", "Ñandú"));
    }

    @Test
    void filtersWorkAsNormalizer() throws IOException {
        TokenFilterFactory lower = plugin.getTokenFilters().get("sherloc_lowercase").get(null, null, "l", Settings.EMPTY);
        TokenFilterFactory fold = plugin.getTokenFilters().get("sherloc_asciifolding").get(null, null, "a", Settings.EMPTY);
        // Elasticsearch only lets multi-term aware filters into a normalizer.
        assertTrue(lower instanceof NormalizingTokenFilterFactory);
        assertTrue(fold instanceof NormalizingTokenFilterFactory);
        KeywordTokenizer keyword = new KeywordTokenizer();
        keyword.setReader(new StringReader("ÑANDÚ Güemes"));
        List<String> out = new ArrayList<>();
        try (TokenStream ts = fold.normalize(lower.normalize(keyword))) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                out.add(term.toString());
            }
            ts.end();
        }
        assertEquals(List.of("nandu guemes"), out);
    }

    /** The Lucene jars compiled against and bundled must be the Lucene of the targeted ES release. */
    @Test
    void luceneVersionMatchesElasticsearch() {
        // lucene-core comes with the elasticsearch artifact, so it is that release's Lucene.
        String esLucene = org.apache.lucene.util.Version.LATEST.toString();
        assertEquals(esLucene, System.getProperty("lucene.version"),
            "Elasticsearch " + System.getProperty("es.version") + " ships Lucene " + esLucene + ": build with -Dlucene.version=" + esLucene);
        assertEquals(esLucene, IndexVersion.current().luceneVersion().toString());
    }
}
