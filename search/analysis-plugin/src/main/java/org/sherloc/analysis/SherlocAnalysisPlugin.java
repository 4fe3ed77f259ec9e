package org.sherloc.analysis;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.ar.ArabicAnalyzer;
import org.apache.lucene.analysis.cn.smart.SmartChineseAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.es.SpanishAnalyzer;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.ru.RussianAnalyzer;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

import java.util.Map;

/**
 * SHERLOC's analysis plugin: the language analyzers the project indexes with, for an
 * Elasticsearch whose distribution lacks the {@code analysis-common} module.
 *
 * <p>Every analyzer is usable by name ({@code "analyzer": "sherloc_fr"}) in a mapping or in
 * {@code _analyze}. The language analyzers also accept the usual {@code stopwords} /
 * {@code stopwords_path} and {@code stem_exclusion} settings when declared as an index
 * analyzer of that type, e.g. {@code {"type": "sherloc_en", "stopwords": "_none_"}}.
 */
public class SherlocAnalysisPlugin extends Plugin implements AnalysisPlugin {

    /** Builds a Lucene analyzer from (stop words, stem exclusion set). */
    @FunctionalInterface
    interface LanguageAnalyzerFactory {
        Analyzer create(CharArraySet stopWords, CharArraySet stemExclusion);
    }

    @Override
    public Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> getAnalyzers() {
        return Map.of(
            "sherloc_en", language(EnglishAnalyzer.getDefaultStopSet(), EnglishAnalyzer::new),
            "sherloc_fr", language(FrenchAnalyzer.getDefaultStopSet(), FrenchAnalyzer::new),
            "sherloc_es", language(SpanishAnalyzer.getDefaultStopSet(), SpanishAnalyzer::new),
            "sherloc_ru", language(RussianAnalyzer.getDefaultStopSet(), RussianAnalyzer::new),
            "sherloc_ar", language(ArabicAnalyzer.getDefaultStopSet(), ArabicAnalyzer::new),
            // SmartChineseAnalyzer has no stemming; its default stop set is punctuation.
            "sherloc_zh", language(SmartChineseAnalyzer.getDefaultStopSet(), (stop, unused) -> new SmartChineseAnalyzer(stop)),
            "sherloc_default", (indexSettings, env, name, settings) -> new SimpleAnalyzerProvider(name, settings, new FoldingAnalyzer())
        );
    }

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
            "sherloc_lowercase", (indexSettings, env, name, settings) -> new LowercaseFilterFactory(name, settings),
            "sherloc_asciifolding", (indexSettings, env, name, settings) -> new AsciiFoldingFilterFactory(name, settings)
        );
    }

    private static AnalysisProvider<AnalyzerProvider<? extends Analyzer>> language(
        CharArraySet defaultStopWords,
        LanguageAnalyzerFactory factory
    ) {
        return (indexSettings, env, name, settings) -> new SimpleAnalyzerProvider(
            name,
            settings,
            factory.create(
                Analysis.parseStopWords(env, settings, defaultStopWords),
                Analysis.parseStemExclusion(settings, CharArraySet.EMPTY_SET)
            )
        );
    }
}
