package org.sherloc.analysis;

import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;

/** {@code sherloc_lowercase}: Lucene's LowerCaseFilter; multi-term aware, so usable in normalizers. */
final class LowercaseFilterFactory extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {

    LowercaseFilterFactory(String name, Settings settings) {
        super(name, settings);
    }

    @Override
    public TokenStream create(TokenStream tokenStream) {
        return new LowerCaseFilter(tokenStream);
    }
}
