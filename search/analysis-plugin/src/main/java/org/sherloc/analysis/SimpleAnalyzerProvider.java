package org.sherloc.analysis;

import org.apache.lucene.analysis.Analyzer;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;

/** Hands an already-built Lucene analyzer to Elasticsearch under a name. */
final class SimpleAnalyzerProvider extends AbstractIndexAnalyzerProvider<Analyzer> {

    private final Analyzer analyzer;

    SimpleAnalyzerProvider(String name, Settings settings, Analyzer analyzer) {
        super(name, settings);
        this.analyzer = analyzer;
    }

    @Override
    public Analyzer get() {
        return analyzer;
    }
}
