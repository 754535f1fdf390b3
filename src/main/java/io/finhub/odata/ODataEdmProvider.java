package io.finhub.odata;

import static java.util.Objects.requireNonNull;

import io.finhub.support.ClasspathResources;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.olingo.commons.api.edm.FullQualifiedName;
import org.apache.olingo.commons.api.edm.provider.CsdlAbstractEdmProvider;
import org.apache.olingo.commons.api.edm.provider.CsdlAnnotation;
import org.apache.olingo.commons.api.edm.provider.CsdlEntityContainer;
import org.apache.olingo.commons.api.edm.provider.CsdlEntityContainerInfo;
import org.apache.olingo.commons.api.edm.provider.CsdlEntitySet;
import org.apache.olingo.commons.api.edm.provider.CsdlEntityType;
import org.apache.olingo.commons.api.edm.provider.CsdlProperty;
import org.apache.olingo.commons.api.edm.provider.CsdlPropertyRef;
import org.apache.olingo.commons.api.edm.provider.CsdlSchema;
import org.apache.olingo.commons.api.edm.provider.CsdlTerm;
import org.apache.olingo.commons.api.edm.provider.annotation.CsdlConstantExpression;
import org.apache.olingo.commons.api.edm.provider.annotation.CsdlConstantExpression.ConstantExpressionType;
import org.apache.olingo.commons.api.edmx.EdmxReference;
import org.apache.olingo.commons.api.edmx.EdmxReferenceInclude;

/**
 * The CSDL of the feed, generated from the entity sets: one entity type per set, every property
 * with its type, facets and a Core.Description, and on catalog views one
 * Aggregation.CustomAggregate per measure (so {@code $apply=aggregate(RoiPct)} recomputes ROI for
 * the group instead of adding percentages).
 */
final class ODataEdmProvider extends CsdlAbstractEdmProvider {
    static final String NAMESPACE = "FinHub";
    static final FullQualifiedName CONTAINER = new FullQualifiedName(NAMESPACE, "FinHub");
    /** Where the vocabularies are served, relative to the service root. */
    static final String VOCABULARIES = "vocabularies/";
    private static final String CORE = "Org.OData.Core.V1";
    private static final String AGGREGATION = "Org.OData.Aggregation.V1";
    private static final FullQualifiedName DESCRIPTION = new FullQualifiedName(CORE, "Description");
    private static final FullQualifiedName CUSTOM_AGGREGATE = new FullQualifiedName(AGGREGATION, "CustomAggregate");

    private final ODataEntitySets sets;

    ODataEdmProvider(ODataEntitySets sets) {
        this.sets = requireNonNull(sets, "sets is null");
    }

    /**
     * The vocabularies the annotations use. The references are relative to {@code $metadata}: the
     * feed serves the terms it uses itself ({@link #VOCABULARIES}), so a client resolving them needs
     * no internet access.
     */
    static List<EdmxReference> references() {
        EdmxReference core = new EdmxReference(URI.create(VOCABULARIES + CORE + ".xml"));
        core.addInclude(new EdmxReferenceInclude(CORE, "Core"));
        EdmxReference aggregation = new EdmxReference(URI.create(VOCABULARIES + AGGREGATION + ".xml"));
        aggregation.addInclude(new EdmxReferenceInclude(AGGREGATION, "Aggregation"));
        return List.of(core, aggregation);
    }

    /** The vocabulary documents by file name, from the classpath. */
    static Optional<String> vocabulary(String fileName) {
        if (!fileName.equals(CORE + ".xml") && !fileName.equals(AGGREGATION + ".xml")) {
            return Optional.empty();
        }
        return Optional.of(ClasspathResources.read("io/finhub/odata/vocabularies/" + fileName));
    }

    @Override
    public CsdlEntityType getEntityType(FullQualifiedName name) {
        if (!NAMESPACE.equals(name.getNamespace())) {
            return null;
        }
        return sets.all().stream().filter(set -> set.typeName().equals(name.getName())).findFirst().map(this::entityType).orElse(null);
    }

    @Override
    public CsdlEntitySet getEntitySet(FullQualifiedName container, String name) {
        if (!CONTAINER.equals(container)) {
            return null;
        }
        return sets.find(name).map(ODataEdmProvider::entitySet).orElse(null);
    }

    @Override
    public CsdlEntityContainer getEntityContainer() {
        List<CsdlEntitySet> entitySets = sets.all().stream().map(ODataEdmProvider::entitySet).toList();
        return new CsdlEntityContainer().setName(CONTAINER.getName()).setEntitySets(new ArrayList<>(entitySets));
    }

    @Override
    public CsdlEntityContainerInfo getEntityContainerInfo(FullQualifiedName name) {
        if (name == null || CONTAINER.equals(name)) {
            return new CsdlEntityContainerInfo().setContainerName(CONTAINER);
        }
        return null;
    }

    @Override
    public CsdlTerm getTerm(FullQualifiedName name) {
        if (DESCRIPTION.equals(name)) {
            return new CsdlTerm().setName(DESCRIPTION.getName()).setType("Edm.String");
        }
        if (CUSTOM_AGGREGATE.equals(name)) {
            return new CsdlTerm().setName(CUSTOM_AGGREGATE.getName()).setType("Edm.String");
        }
        return null;
    }

    @Override
    public List<CsdlSchema> getSchemas() {
        CsdlSchema schema = new CsdlSchema().setNamespace(NAMESPACE);
        schema.setEntityTypes(new ArrayList<>(sets.all().stream().map(this::entityType).toList()));
        schema.setEntityContainer(getEntityContainer());
        return List.of(schema);
    }

    private static CsdlEntitySet entitySet(ODataEntitySet set) {
        CsdlEntitySet entitySet = new CsdlEntitySet().setName(set.name()).setType(new FullQualifiedName(NAMESPACE, set.typeName()));
        entitySet.setAnnotations(new ArrayList<>(description(set.description()).stream().toList()));
        return entitySet;
    }

    private CsdlEntityType entityType(ODataEntitySet set) {
        List<CsdlProperty> properties = new ArrayList<>();
        for (ODataColumn column : set.columns()) {
            CsdlProperty property = new CsdlProperty().setName(column.name()).setType(column.kind().getFullQualifiedName()).setNullable(column.nullable());
            column.precision().ifPresent(property::setPrecision);
            column.scale().ifPresent(property::setScale);
            description(column.description()).ifPresent(annotation -> property.setAnnotations(new ArrayList<>(List.of(annotation))));
            properties.add(property);
        }
        List<CsdlAnnotation> annotations = new ArrayList<>(description(set.description()).stream().toList());
        set.catalogView().ifPresent(view -> view.measures().forEach(measure -> annotations.add(new CsdlAnnotation()
                .setTerm(CUSTOM_AGGREGATE.getFullQualifiedNameAsString())
                .setQualifier(ODataCatalogView.pascalCase(measure))
                .setExpression(new CsdlConstantExpression(ConstantExpressionType.String, "Edm.Decimal")))));
        return new CsdlEntityType().setName(set.typeName())
                .setKey(set.key().stream().map(key -> new CsdlPropertyRef().setName(key)).toList())
                .setProperties(properties)
                .setAnnotations(annotations);
    }

    private static Optional<CsdlAnnotation> description(String text) {
        if (text.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new CsdlAnnotation().setTerm(DESCRIPTION.getFullQualifiedNameAsString())
                .setExpression(new CsdlConstantExpression(ConstantExpressionType.String, text)));
    }
}
